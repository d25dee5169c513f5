// dnsperf (DNS-OARC) as load in a boundary test: a fixed rate (-Q) for a while against a loopback
// server, started and awaited as a process, its report read when it exits. Tests that change the
// server under load (a signal, a reload) act once `started` resolves (dnsperf's "Sending queries").
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Addr } from './dns-client.ts';

export interface DnsperfLoad {
  /** Resolves once dnsperf says it is sending queries. */
  started: Promise<void>;
  /** The report once dnsperf has exited; rejects on a non-zero exit or no report. */
  done: Promise<DnsperfReport>;
}

export interface DnsperfReport {
  sent: number;
  completed: number;
  lost: number;
  /** Replies by rcode (`NOERROR 1234`). */
  rcodes: Record<string, number>;
  text: string;
}

export interface DnsperfLoadOptions {
  server: Addr;
  /** `name TYPE` per line; written to `file`. */
  queries: string[];
  file: string;
  qps: number;
  seconds: number;
  mode?: 'udp' | 'tcp';
  /** Seconds before an unanswered query counts as lost (dnsperf -t; default 2). */
  timeout?: number;
}

export function dnsperfLoad(o: DnsperfLoadOptions): DnsperfLoad {
  writeFileSync(o.file, `${o.queries.join('\n')}\n`);
  const args = [
    ...['-s', o.server.host, '-p', String(o.server.port), '-m', o.mode ?? 'udp'],
    ...['-d', o.file, '-l', String(o.seconds), '-Q', String(o.qps)],
    ...['-c', '4', '-q', '500', '-t', String(o.timeout ?? 2)],
  ];
  // dnsperf's stdout is a pipe here, so stdio buffers it whole until exit: line-buffered through
  // stdbuf (coreutils), "Sending queries" arrives when it starts sending, not when it is over.
  const child = spawn('stdbuf', ['-oL', 'dnsperf', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    if (out.includes('Sending queries')) markStarted();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const done = new Promise<DnsperfReport>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      markStarted();
      const n = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(out)?.[1]);
      if (code !== 0 || !/Queries sent:/.test(out))
        return reject(new Error(`dnsperf ${args.join(' ')}: exit ${code}\n${err}\n${out}`));
      const rcodes: Record<string, number> = {};
      const codes = /Response codes:\s+(.*)/.exec(out)?.[1] ?? '';
      for (const m of codes.matchAll(/([A-Z]+) (\d+)/g)) rcodes[m[1]!] = Number(m[2]);
      resolve({
        sent: n('Queries sent'),
        completed: n('Queries completed'),
        lost: n('Queries lost'),
        rcodes,
        text: out,
      });
    });
  });
  return { started, done };
}
