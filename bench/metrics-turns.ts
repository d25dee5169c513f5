// bench:dns --metrics: the cost of the Prometheus metrics (functions/metrics/) on UDP throughput.
// Two edge-dns processes on the server's core, one with `--metrics`, one without, take each UDP
// setting in turns (off, on, off, on...): both see the same machine within seconds of each other,
// where one run before the other would compare two different minutes of a noisy host. After the
// runs, /metrics is scraped: it must have counted every reply dnsperf got.
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

/** Runs `settings` in turns against the server without metrics and the one with them. */
export async function inTurns<S>(
  settings: readonly S[],
  run: (metrics: boolean, setting: S) => Promise<Measured>,
): Promise<{ off: Measured[]; on: Measured[] }> {
  const off: Measured[] = [];
  const on: Measured[] = [];
  for (const setting of settings) {
    off.push(await run(false, setting));
    on.push(await run(true, setting));
  }
  return { off, on };
}

/** The side-by-side table: q/s off and on per setting, the ratio, server CPU, lost queries. */
export function printMetricsComparison(
  off: readonly Measured[],
  on: readonly Measured[],
  counted: { requests: number; completed: number },
): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log('\n### Prometheus metrics (CoreDNS `prometheus`, --metrics), UDP, in turns\n');
  row([
    'UDP setting',
    'q/s, metrics off',
    'q/s, metrics on',
    'on/off',
    'server CPU off/on',
    'lost off/on',
  ]);
  row(['---', '---', '---', '---', '---', '---']);
  on.forEach((m, i) => {
    const base = off[i]!;
    const run = m.result.run;
    row([
      `-c ${run.clients} -q ${run.outstanding}`,
      base.result.qps.toFixed(0),
      m.result.qps.toFixed(0),
      `${((100 * m.result.qps) / base.result.qps).toFixed(1)}%`,
      `${(100 * base.serverCpu).toFixed(0)}% / ${(100 * m.serverCpu).toFixed(0)}%`,
      `${base.result.lost} / ${m.result.lost}`,
    ]);
  });
  const ok = counted.requests >= counted.completed;
  console.log(
    `\nmetrics counted ${counted.requests.toLocaleString('en-US')} requests; dnsperf got ${counted.completed.toLocaleString('en-US')} replies from that server${ok ? '' : ' (FEWER COUNTED THAN ANSWERED)'}. Target: on/off within 10%.`,
  );
}
