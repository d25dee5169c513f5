// NSD (NLnet Labs' authoritative server) on a loopback port, for differential tests: its config,
// pid, zone list and transfer state in a temp directory of its own, no privileges dropped, answers
// as configured by default (`minimal-responses: no`, `refuse-any: no`), rate limiting off.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeQuery, queryUdp, rcodeOf, type Addr } from './dns-client.ts';
import { pollUntil } from './poll.ts';

/** nsd is in /usr/sbin, which a user's PATH may leave out: pass this to requireTool too. */
export const NSD_ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin` };

export interface NsdServer {
  udp: Addr;
  stop(): Promise<void>;
}

/** Starts NSD serving `zones` (zone -> file in `zonesDir`); resolves once the first zone's SOA answers. */
export async function startNsd(
  zonesDir: string,
  zones: { name: string; file: string }[],
): Promise<NsdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-nsd-'));
  const port = await freeUdpPort();
  const udp = { host: '127.0.0.1', port };
  writeFileSync(join(dir, 'nsd.conf'), config(dir, port, zonesDir, zones));
  const nsd = spawn('nsd', ['-d', '-c', join(dir, 'nsd.conf')], {
    env: NSD_ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  nsd.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const gone = new Promise<void>((r) => nsd.once('exit', () => r()));
  const stop = async () => {
    if (nsd.exitCode === null && nsd.signalCode === null) nsd.kill('SIGTERM');
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  const exited = gone.then(() => {
    throw new Error(`nsd exited (${nsd.exitCode ?? nsd.signalCode}):\n${log}`);
  });
  const apex = zones[0]!.name;
  const ready = pollUntil(
    () => queryUdp(udp, makeQuery(apex, 'SOA'), 200).catch(() => undefined),
    (reply) => reply !== undefined && rcodeOf(reply) === 'NOERROR',
    { what: `NSD answering ${apex} SOA`, deadlineMs: 15_000, everyMs: 50 },
  );
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { udp, stop };
}

function config(
  dir: string,
  port: number,
  zonesDir: string,
  zones: { name: string; file: string }[],
) {
  const zoneLines = zones.map((z) => `zone:\n  name: ${z.name}\n  zonefile: "${z.file}"\n`);
  return `server:
  ip-address: 127.0.0.1@${port}
  port: ${port}
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "${zonesDir}"
  database: ""
  zonelistfile: "${join(dir, 'zone.list')}"
  xfrdfile: "${join(dir, 'xfrd.state')}"
  xfrdir: "${dir}"
  pidfile: "${join(dir, 'nsd.pid')}"
  server-count: 1
  hide-version: yes
  hide-identity: yes
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
${zoneLines.join('')}`;
}

/** A UDP port free on 127.0.0.1 a moment ago (bound, then closed). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const { port } = socket.address();
  await new Promise<void>((r) => socket.close(() => r()));
  return port;
}
