// bench:dns --metrics / --log: the cost of the Prometheus metrics (functions/metrics/) and of the
// query log (functions/log/) on UDP throughput. An edge-dns process without either, and one with
// each, all on the server's core, take each UDP setting in turns (off, on, on, off): every
// variant sees the same machine within seconds of the others, where one run before the other
// would compare two different minutes of a noisy host. After the runs, /metrics is scraped: it
// must have counted every reply dnsperf got.
import { createServer } from 'node:net';
import type { Measured } from './report.ts';

/** A free loopback TCP port for `--metrics` (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The sum of coredns_dns_requests_total in a /metrics answer (every label set). */
export async function requestsCounted(url: string): Promise<number> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('coredns_dns_requests_total{')) sum += Number(line.split(' ').pop());
  return sum;
}

/**
 * Runs each of `settings` against every variant (0: the plain server, then one per process
 * plugin) in turns, twice, the second round in reverse order (A B C, C B A), so that a drift of
 * the machine's speed during a setting weighs on every variant alike. Returns, per variant and
 * setting, the two runs merged: mean q/s and CPU, summed queries.
 */
export async function inTurns<S>(
  settings: readonly S[],
  variants: number,
  run: (variant: number, setting: S) => Promise<Measured>,
): Promise<Measured[][]> {
  const out: Measured[][] = Array.from({ length: variants }, () => []);
  const order = Array.from({ length: variants }, (_, i) => i);
  for (const setting of settings) {
    const runs: Measured[][] = order.map(() => []);
    for (const v of order) runs[v]!.push(await run(v, setting));
    for (const v of [...order].reverse()) runs[v]!.push(await run(v, setting));
    runs.forEach((pair, v) => out[v]!.push(merged(pair)));
  }
  return out;
}

/** Two runs of one setting against one server as one: means of rates, sums of counts. */
function merged(runs: Measured[]): Measured {
  const mean = (f: (m: Measured) => number) => runs.reduce((n, m) => n + f(m), 0) / runs.length;
  const sum = (f: (m: Measured) => number) => runs.reduce((n, m) => n + f(m), 0);
  const first = runs[0]!;
  return {
    ...first,
    serverCpu: mean((m) => m.serverCpu),
    serverUser: mean((m) => m.serverUser),
    rcvbufDrops: sum((m) => m.rcvbufDrops),
    result: {
      ...first.result,
      qps: mean((m) => m.result.qps),
      sent: sum((m) => m.result.sent),
      completed: sum((m) => m.result.completed),
      lost: sum((m) => m.result.lost),
    },
  };
}

/** The side-by-side table: q/s off and on per setting, the ratio, server CPU, lost queries. */
export function printMetricsComparison(
  off: readonly Measured[],
  on: readonly Measured[],
  counted: { requests: number; completed: number },
): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(
    '\n### Prometheus metrics (CoreDNS `prometheus`, --metrics), UDP, in turns (two runs each)\n',
  );
  row([
    'UDP setting',
    'q/s, metrics off',
    'q/s, metrics on',
    'on/off',
    'server CPU off/on',
    'lost off/on',
  ]);
  row(['---', '---', '---', '---', '---', '---']);
  for (const cells of comparedRows(off, on, true)) row(cells);
  const ok = counted.requests >= counted.completed;
  console.log(
    `\nmetrics counted ${counted.requests.toLocaleString('en-US')} requests; dnsperf got ${counted.completed.toLocaleString('en-US')} replies from that server${ok ? '' : ' (FEWER COUNTED THAN ANSWERED)'}. Target: on/off within 10%.`,
  );
}

/** The seed-shaped Corefile (seed-corefile.ts) against the Kubernetes-only server, setting by setting. */
export function printCorefileComparison(off: readonly Measured[], on: readonly Measured[]): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(
    '\n### Seed-shaped Corefile (template, hosts, kubernetes, file, cache, loadbalance), UDP, in turns (two runs each)\n',
  );
  row(['UDP setting', 'q/s, Kubernetes only', 'q/s, Corefile', 'Corefile/only', 'lost']);
  row(['---', '---', '---', '---', '---']);
  for (const cells of comparedRows(off, on, false)) row(cells);
  console.log('\nThe same cluster queries to both. Target: within 10%.');
}

/** Per setting: the setting, q/s of each server, their ratio, (the servers' CPU,) lost queries. */
export function comparedRows(
  off: readonly Measured[],
  on: readonly Measured[],
  cpu: boolean,
): string[][] {
  return on.map((m, i) => {
    const base = off[i]!;
    const run = m.result.run;
    return [
      `-c ${run.clients} -q ${run.outstanding}`,
      base.result.qps.toFixed(0),
      m.result.qps.toFixed(0),
      `${((100 * m.result.qps) / base.result.qps).toFixed(1)}%`,
      ...(cpu
        ? [`${(100 * base.serverCpu).toFixed(0)}% / ${(100 * m.serverCpu).toFixed(0)}%`]
        : []),
      `${base.result.lost} / ${m.result.lost}`,
    ];
  });
}
