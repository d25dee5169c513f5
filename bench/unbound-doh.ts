// unbound as the DoH reference of `npm run bench:doh`: the benchmark cluster's records as
// `local-data` in static local zones, served over HTTPS/HTTP2 (`https-port`, unbound.conf(5);
// Debian's unbound is built with libnghttp2) with the test certificate, one thread, pinned like
// edge-dns. No upstream: a name it lacks is NXDOMAIN from the static zone. Loopback only.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { NameNode } from '../functions/core/record.ts';
import { pinnedCommand, spawnTracked } from './proc.ts';

export interface UnboundDoh {
  child: ChildProcess;
  pid: number;
  url: string;
}

/** The owner's zone for unbound: the cluster zone, or the reverse zone of its first label(s). */
function zoneOf(name: string, zones: readonly string[]): string {
  const labels = name.split('.');
  if (name.endsWith('.in-addr.arpa')) return labels.slice(-3).join('.');
  if (name.endsWith('.ip6.arpa')) return labels.slice(-4).join('.');
  return zones.find((z) => name === z || name.endsWith(`.${z}`)) ?? labels.slice(-2).join('.');
}

/** One `local-data` line per record (presentation format, RFC 1035 §5.1). */
function localData(node: NameNode): string[] {
  return node.sets.flatMap((set) =>
    (set.data as unknown[]).map((d) => {
      const rdata =
        set.type === 'SRV'
          ? (({ priority, weight, port, target }) => `${priority} ${weight} ${port} ${target}.`)(
              d as { priority: number; weight: number; port: number; target: string },
            )
          : set.type === 'TXT'
            ? (d as string[]).map((s) => `"${s}"`).join(' ')
            : ['CNAME', 'PTR', 'NS'].includes(set.type)
              ? `${d as string}.`
              : (d as string);
      return `  local-data: '${node.name}. ${set.ttl} IN ${set.type} ${rdata}'`;
    }),
  );
}

export async function startUnboundDoh(o: {
  dir: string;
  nodes: Iterable<NameNode>;
  zones: readonly string[];
  port: number;
  core: number | undefined;
  root: string;
}): Promise<UnboundDoh> {
  const lines: string[] = [];
  const localZones = new Set<string>(o.zones);
  for (const node of o.nodes) {
    localZones.add(zoneOf(node.name, o.zones));
    lines.push(...localData(node));
  }
  const conf = join(o.dir, 'unbound-doh.conf');
  writeFileSync(
    conf,
    `server:
  interface: 127.0.0.1@${o.port}
  https-port: ${o.port}
  tls-service-key: "${join(o.root, 'test/fixtures/tls/localhost.key')}"
  tls-service-pem: "${join(o.root, 'test/fixtures/tls/localhost.crt')}"
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-daemonize: no
  num-threads: 1
  username: ""
  chroot: ""
  directory: "${o.dir}"
  pidfile: "${join(o.dir, 'unbound-doh.pid')}"
  use-syslog: no
  logfile: "${join(o.dir, 'unbound-doh.log')}"
  verbosity: 0
  module-config: "iterator"
  incoming-num-tcp: 64
  http-max-streams: 128
${[...localZones].map((z) => `  local-zone: "${z}." static`).join('\n')}
${lines.join('\n')}
`,
  );
  const [cmd, args] = pinnedCommand(o.core, 'unbound', ['-d', '-c', conf]);
  const child = spawnTracked(cmd, args);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  child.stdout?.resume();
  const deadline = Date.now() + 120_000;
  while (!(await listening(o.port))) {
    if (child.exitCode !== null) throw new Error(`unbound exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`unbound not listening after 120 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (child.pid === undefined) throw new Error('unbound has no pid');
  return { child, pid: child.pid, url: `https://127.0.0.1:${o.port}` };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
