// Prints bench/forward.ts's figures: the warm passes, every dnsperf run, the latency runs, and the
// summary of edge-dns's forward-cache hits beside unbound's against the floor.
import { percentiles } from './dnsperf.ts';
import type { HitFigures } from './hit-runs.ts';
import type { Measured, Memory } from './report.ts';
import type { SpotResult } from './spot-check.ts';
import type { PassResult } from './warm-pass.ts';

export interface ServerResult {
  name: string;
  setup: string;
  warm: PassResult;
  verify: PassResult;
  upstreamWarm: number;
  upstreamVerify: number;
  spot: SpotResult[];
  hits: HitFigures;
  /** Before the warm pass (nothing cached), after it, and after the measured runs. */
  memory: { beforeWarm: Memory; afterWarm: Memory; afterRuns: Memory };
  notes: string[];
}

export interface ForwardReport {
  dnsperf: string;
  pinned: boolean;
  seconds: number;
  hosts: number;
  queries: number;
  distinct: number;
  upstreamOutside: readonly string[];
  results: ServerResult[];
}

/** The floor: cache hits at 50,000 queries/s on one core. */
const FLOOR_QPS = 50_000;
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number | undefined) =>
  n !== undefined && Number.isFinite(n) ? `${n.toFixed(3)} ms` : 'n/a';
const pct = (n: number | undefined) =>
  n !== undefined && Number.isFinite(n) ? `${Math.round(n * 100)}%` : 'n/a';
const row = (cells: string[], widths: number[]) =>
  `  ${cells
    .map((c, i) => c.padEnd(widths[i] ?? 10))
    .join(' ')
    .trimEnd()}`;
const best = (runs: Measured[]) =>
  runs.reduce<Measured | undefined>(
    (b, m) => (!b || m.result.qps > b.result.qps ? m : b),
    undefined,
  );
const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k === 'T' ? 'lost' : k} ${int(v)}`)
    .join(', ');

export function printForwardReport(r: ForwardReport): void {
  const out: string[] = ['', '== edge-dns forward-cache benchmark (cache hits over UDP) =='];
  out.push(
    `zone: ${int(r.hosts)} hosts under bench.example (TTL 3600, SOA minimum 3600); ${int(r.queries)} queries in the mix, ${int(r.distinct)} distinct questions`,
  );
  out.push(
    `dnsperf ${r.dnsperf}, ${r.seconds} s per run; ${r.pinned ? 'server on core 0 (taskset -c 0), dnsperf, this script and the upstream on core 1' : 'NOT pinned: figures share cores'}`,
  );
  out.push(
    `upstream queries for names outside the zone (answered REFUSED): ${r.upstreamOutside.length ? r.upstreamOutside.join(', ') : 'none'}`,
  );
  for (const s of r.results) {
    out.push('', `${s.name}: ${s.setup}`);
    const pass = (label: string, p: PassResult, up: number) =>
      `  ${label}: ${int(p.sent)} questions, ${int(p.replies)} replies (${counts(p.rcodes)}), ${int(p.lost)} lost, ${int(p.wrong)} not as the zone answers${p.wrongSeen.length ? ` (${p.wrongSeen.join('; ')})` : ''}, ${int(up)} upstream queries, ${p.ms} ms`;
    out.push(pass('warm pass (fills the cache)', s.warm, s.upstreamWarm));
    out.push(pass('second pass (all hits)    ', s.verify, s.upstreamVerify));
    out.push(`  spot check: ${s.spot.map((x) => `${x.kind} ${x.rcode}/${x.answers}`).join(', ')}`);
    for (const n of s.notes) out.push(`  ${n}`);
  }

  out.push(
    '',
    'dnsperf runs (q/s counts completed queries; server CPU = its CPU s per s, 100% = one core; core 0/1 = busy share of',
  );
  out.push(
    '  each core during the run; background = busy share of core 0/1 in the second before; rcvbuf = UDP datagrams dropped on a full buffer)',
  );
  const rw = [9, 3, 4, 6, 10, 10, 6, 7, 9, 9, 15, 10, 7, 7, 10, 30];
  out.push(
    row(
      [
        'server',
        '-c',
        '-q',
        '-Q',
        'sent',
        'completed',
        'lost',
        'rcvbuf',
        'q/s',
        'avg',
        'server CPU',
        'CPU/query',
        'core 0',
        'core 1',
        'background',
        'rcodes',
      ],
      rw,
    ),
  );
  for (const s of r.results) {
    for (const m of [...s.hits.udp, ...s.hits.latencyRuns]) {
      const x = m.result;
      out.push(
        row(
          [
            m.server,
            String(x.run.clients),
            String(x.run.outstanding),
            x.run.qps ? String(x.run.qps) : '-',
            int(x.sent),
            int(x.completed),
            int(x.lost),
            int(m.rcvbufDrops),
            int(x.qps),
            ms(x.avgLatencyMs),
            `${pct(m.serverCpu)} (${pct(m.serverUser)} usr)`,
            `${((m.serverCpu / x.qps) * 1e6).toFixed(1)} µs`,
            pct(m.cores[0]),
            pct(m.cores[1]),
            m.background.map(pct).join('/'),
            counts(x.rcodes),
          ],
          rw,
        ),
      );
    }
  }

  const lat = (s: ServerResult) =>
    s.hits.latency?.result.latencies
      ? percentiles(s.hits.latency.result.latencies, [50, 90, 99, 99.9, 100])
      : [];
  const rate = r.results[0]?.hits.latency?.result.run.qps;
  out.push(
    '',
    `Latency at ${int(rate ?? NaN)} q/s over UDP (dnsperf -Q -v, one socket; the run with the median p99 of three):`,
  );
  const lw = [10, 11, 11, 11, 11, 11, 10, 7, 30];
  out.push(
    row(
      ['server', 'p50', 'p90', 'p99', 'p99.9', 'max', 'achieved', 'lost', 'p99 of the three runs'],
      lw,
    ),
  );
  for (const s of r.results)
    if (s.hits.latency)
      out.push(
        row(
          [
            s.name,
            ...lat(s).map(ms),
            `${int(s.hits.latency.result.qps)}/s`,
            int(s.hits.latency.result.lost),
            s.hits.p99s.map(ms).join(', '),
          ],
          lw,
        ),
      );
  for (const s of r.results) {
    const byKind = s.hits.latency?.result.byKind;
    if (!byKind) continue;
    out.push(
      '',
      `${s.name} replies by query kind in that run (expected: NXDOMAIN for the NXDOMAIN kind, NOERROR for the rest):`,
    );
    for (const [kind, c] of Object.entries(byKind).sort())
      out.push(`  ${kind.padEnd(13)} ${counts(c)}`);
  }

  out.push('', "Summary (forward-cache hits, one core each; the floor is edge-dns's):");
  const w = [34, ...r.results.map(() => 30), 12, 8];
  out.push(row(['', ...r.results.map((s) => s.name), 'floor', 'verdict'], w));
  const edge = r.results.find((s) => s.name === 'edge-dns');
  const edgeBest = edge && best(edge.hits.udp);
  const cfg = (m: Measured | undefined) =>
    m ? ` (-c ${m.result.run.clients} -q ${m.result.run.outstanding})` : '';
  const verdict = edgeBest ? (edgeBest.result.qps >= FLOOR_QPS ? 'PASS' : 'BELOW') : 'n/a';
  out.push(
    row(
      [
        'q/s UDP, hits (best of the sweep)',
        ...r.results.map((s) => {
          const b = best(s.hits.udp);
          return `${int(b?.result.qps ?? NaN)}${cfg(b)}`;
        }),
        `>= ${int(FLOOR_QPS)}`,
        verdict,
      ],
      w,
    ),
  );
  out.push(
    row(
      ['server CPU in that run', ...r.results.map((s) => pct(best(s.hits.udp)?.serverCpu)), '', ''],
      w,
    ),
  );
  out.push(
    row([`p50 at ${int(rate ?? NaN)} q/s`, ...r.results.map((s) => ms(lat(s)[0])), '', ''], w),
  );
  out.push(
    row(
      [
        `p99 at ${int(rate ?? NaN)} q/s (median of 3)`,
        ...r.results.map((s) => ms(lat(s)[2])),
        '',
        '',
      ],
      w,
    ),
  );
  out.push(
    row(
      [
        'lost (all measured runs)',
        ...r.results.map((s) =>
          int([...s.hits.udp, ...s.hits.latencyRuns].reduce((n, m) => n + m.result.lost, 0)),
        ),
        '',
        '',
      ],
      w,
    ),
  );
  out.push(
    row(
      [
        'upstream queries while measured',
        ...r.results.map((s) => int(s.hits.upstreamQueries)),
        '0',
        '',
      ],
      w,
    ),
  );
  out.push(
    row(
      [
        'RSS before warming / after / after the runs',
        ...r.results.map(
          (s) =>
            `${s.memory.beforeWarm.rss.toFixed(1)} / ${s.memory.afterWarm.rss.toFixed(1)} / ${s.memory.afterRuns.rss.toFixed(1)} MB`,
        ),
        '',
        '',
      ],
      w,
    ),
  );
  // The target: what edge-dns's cached answers add at most twice unbound's whole resident set.
  const unbound = r.results.find((s) => s.name === 'unbound');
  const added = edge && edge.memory.afterRuns.rss - edge.memory.beforeWarm.rss;
  const limit = unbound && 2 * unbound.memory.afterRuns.rss;
  out.push(
    row(
      [
        'RSS the cached answers add',
        ...r.results.map(
          (s) => `${(s.memory.afterRuns.rss - s.memory.beforeWarm.rss).toFixed(1)} MB`,
        ),
        limit ? `<= ${limit.toFixed(1)} MB (2x unbound's RSS)` : '',
        added !== undefined && limit ? (added <= limit ? 'PASS' : 'ABOVE') : 'n/a',
      ],
      w,
    ),
  );
  console.log(out.join('\n'));
}
