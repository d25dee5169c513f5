// unbound as the reference of `npm run bench:forward`: a caching forwarder to the benchmark's
// loopback upstream, one thread, pinned like edge-dns, and nothing but loopback: its queries leave
// from 127.0.0.1 (`outgoing-interface`; Linux refuses to route a packet with a loopback source to
// another interface unless route_localnet is set), `do-ip6: no`, no validator and no trust anchor
// (no DNSKEY/DS or RFC 5011 queries), and `forward-zone "."` without `forward-first`: it never
// iterates from the root hints. After the runs `dump_infra` (every server it sent a query to) is
// checked to hold only 127.0.0.1, and its log for errors and root priming.
// unbound.conf(5): https://unbound.docs.nlnetlabs.nl/en/latest/manual/unbound.conf.html
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApt, printedVersion } from './apt-install.ts';
import { pinnedCommand, spawnTracked } from './proc.ts';

export interface Unbound {
  child: ChildProcess;
  pid: number;
  conf: string;
  log: string;
  ms: number;
}

/** unbound's version; installs Debian's package when missing (see apt-install.ts). */
export function ensureUnbound(log: (m: string) => void): string {
  return ensureApt('unbound', () => printedVersion('unbound', ['-V']), log);
}

/** The configuration: a forwarder for `.` to 127.0.0.1@upstream, everything in `dir`. */
function unboundConf(dir: string, port: number, upstream: number): string {
  return `server:
  interface: 127.0.0.1@${port}
  outgoing-interface: 127.0.0.1
  do-ip6: no
  do-tcp: yes
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  do-daemonize: no
  num-threads: 1
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${join(dir, 'unbound.pid')}"
  use-syslog: no
  logfile: "${join(dir, 'unbound.log')}"
  log-time-ascii: yes
  verbosity: 1
  # The validator is not loaded and no trust anchor is set: no DNSKEY/DS fetches, no RFC 5011 probes.
  module-config: "iterator"
  domain-insecure: "."
  msg-cache-size: 64m
  rrset-cache-size: 128m
  prefetch: no
  qname-minimisation: no
  harden-referral-path: no
  statistics-cumulative: yes
  extended-statistics: yes

remote-control:
  control-enable: yes
  control-interface: "${join(dir, 'unbound.ctl')}"
  control-use-cert: no

forward-zone:
  name: "."
  forward-addr: 127.0.0.1@${upstream}
  forward-first: no
`;
}

/** Writes the config in `dir`, checks it, starts unbound on `core` and waits until it serves. */
export async function startUnbound(
  dir: string,
  port: number,
  upstream: number,
  core: number | undefined,
): Promise<Unbound> {
  const conf = join(dir, 'unbound.conf');
  writeFileSync(conf, unboundConf(dir, port, upstream));
  const check = spawnSync('unbound-checkconf', [conf], { encoding: 'utf8' });
  if (check.status !== 0)
    throw new Error(`unbound-checkconf ${conf}: ${check.stdout}${check.stderr}`);
  const started = Date.now();
  const [cmd, args] = pinnedCommand(core, 'unbound', ['-d', '-c', conf]);
  const child = spawnTracked(cmd, args);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdout?.resume();
  const log = join(dir, 'unbound.log');
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `unbound exited (${child.exitCode}) before it was ready: ${stderr}${safeRead(log)}`,
      );
    if (control(conf, ['status']).ok) break;
    if (Date.now() - started > 30_000)
      throw new Error(`unbound not ready after 30 s: ${stderr}${safeRead(log)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.pid === undefined) throw new Error('unbound has no pid');
  return { child, pid: child.pid, conf, log, ms: Date.now() - started };
}

/** `unbound-control -c conf ARGS`. */
function control(conf: string, args: string[]): { ok: boolean; out: string } {
  const out = spawnSync('unbound-control', ['-c', conf, ...args], { encoding: 'utf8' });
  return { ok: out.status === 0, out: `${out.stdout ?? ''}${out.stderr ?? ''}` };
}

/** unbound's cumulative counters (`stats_noreset`), by name, e.g. total.num.cachehits. */
export function unboundStats(conf: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const line of control(conf, ['stats_noreset']).out.split('\n')) {
    const [key, value] = line.split('=');
    if (key && value !== undefined) stats[key] = Number(value);
  }
  return stats;
}

/**
 * The servers unbound has contacted (`dump_infra`: one line per address it sent to, with its
 * RTT), and those that are not 127.0.0.1; the log's error and warning lines.
 */
export function loopbackCheck(u: Unbound): {
  contacted: string[];
  foreign: string[];
  logProblems: string[];
} {
  const contacted = control(u.conf, ['dump_infra']).out.split('\n').filter(Boolean);
  const foreign = contacted.filter((line) => line.split(/[@ ]/)[0] !== '127.0.0.1'); // `ADDR@PORT zone ttl ...`
  const logProblems = safeRead(u.log)
    .split('\n')
    .filter((l) => /error|warning|fail|root|prim/i.test(l));
  return { contacted, foreign, logProblems };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
