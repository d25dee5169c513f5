// Prints bench/dns.ts's figures: every run, latency percentiles, replies by kind, and the summary
// table of edge-dns vs the ceiling vs the floors.
import { percentiles, type DnsperfResult } from './dnsperf.ts';
import type { SpotResult } from './spot-check.ts';
import { describeNoise, type Noise } from './noise.ts';

export interface Measured {
  server: string;
  result: DnsperfResult;
  /** Server CPU seconds per second of run (1 = one core busy), and the user-mode part. */
  serverCpu: number;
  serverUser: number;
  /** Busy share of each core during the run (server on 0, dnsperf on 1 when pinned). */
  cores: number[];
  /** Stolen share of each core during the run (/proc/stat steal: the hypervisor ran others). */
  steal?: number[];
  /** Busy share of each core in the second before the run, from other processes (shared machine). */
  background: number[];
  /** UDP datagrams the kernel dropped on a full receive buffer during the run (all sockets). */
  rcvbufDrops: number;
}

export interface Memory {
  rss: number;
  hwm: number;
}

interface ServerFigures {
  udp: Measured[];
  tcp: Measured[];
  latency?: Measured | undefined;
  /** Each latency window's p99, in the order run (latency-windows.ts). */
  p99s?: number[];
  /** Right at the ready line, after idling a few seconds, and after all the runs. */
  memory: {
    atReady: Memory;
    afterLoad: Memory;
    afterRuns: Memory;
    /** VmHWM was reset after the post-load idle: afterRuns.hwm is the peak while serving. */ peakReset: boolean;
  };
}

export interface Report {
  dnsperf: string;
  pinned: boolean;
  seconds: number;
  cluster: {
    services: number;
    namespaces: number;
    objects: number;
    megabytes: number;
    readyLine: string;
    readyMs: number;
    loadCpu: { user: number; system: number };
  };
  spot: SpotResult[];
  /** The server's core probed before and after the latency windows, servers idle (noise.ts). */
  noise: Noise[];
  edge: ServerFigures & {
    cpu: { load: { user: number; system: number }; total: { user: number; system: number } };
  };
  ceiling: ServerFigures;
}

const floors = { udp: 60_000, tcp: 60_000, p99Ms: 2, rssMb: 150 };
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number | undefined) =>
  n !== undefined && Number.isFinite(n) ? `${n.toFixed(3)} ms` : 'n/a';
const pct1 = (n: number | undefined) =>
  n !== undefined && Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : 'n/a';
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
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'BELOW');
const rcodes = (r: DnsperfResult) =>
  Object.entries(r.rcodes)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');

export function printReport(r: Report): void {
  const out: string[] = [];
  const c = r.cluster;
  out.push('', '== edge-dns DNS benchmark ==');
  out.push(
    `cluster: ${int(c.services)} services in ${c.namespaces} namespaces, ${int(c.objects)} objects (${c.megabytes.toFixed(1)} MB of JSON)`,
  );
  out.push(
    `edge-dns ready after ${(c.readyMs / 1000).toFixed(1)} s (load CPU ${(c.loadCpu.user + c.loadCpu.system).toFixed(1)} s): ${c.readyLine}`,
  );
  out.push(
    `dnsperf ${r.dnsperf}, ${r.seconds} s per run; ${r.pinned ? 'server on core 0 (taskset -c 0), dnsperf and this script on core 1' : 'NOT pinned: figures share cores'}`,
  );
  out.push(
    'latency percentiles: from dnsperf -v (one line per reply, microsecond resolution), not a separate load generator',
  );

  out.push('', 'Spot check (one UDP query of each kind against edge-dns):');
  const sw = [22, 70, 9, 8, 40];
  out.push(row(['kind', 'query', 'rcode', 'answers', 'first answer'], sw));
  for (const s of r.spot)
    out.push(row([s.kind, s.query, s.rcode, String(s.answers), s.first.slice(0, 60)], sw));

  out.push(
    '',
    'dnsperf runs (q/s counts completed queries; server CPU = its CPU s per s, 100% = one core; core 0/1 = busy',
  );
  out.push(
    '  share of each core during the run, all processes and softirq; background = busy share of core 0/1 in the second before;',
  );
  out.push(
    '  rcvbuf = UDP datagrams the kernel dropped on a full socket receive buffer during the run, /proc/net/snmp RcvbufErrors, all sockets;',
  );
  out.push('  steal = share of core 0/1 the hypervisor gave to others during the run, /proc/stat)');
  const rw = [9, 4, 3, 5, 6, 10, 10, 6, 8, 9, 9, 15, 9, 7, 7, 10, 10, 40];
  out.push(
    row(
      [
        'server',
        'mode',
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
        'steal',
        'background',
        'rcodes',
      ],
      rw,
    ),
  );
  for (const m of [
    ...r.edge.udp,
    ...r.edge.tcp,
    r.edge.latency,
    ...r.ceiling.udp,
    ...r.ceiling.tcp,
    r.ceiling.latency,
  ]) {
    if (!m) continue;
    const x = m.result;
    const cpu = `${pct(m.serverCpu)} (${pct(m.serverUser)} usr)`;
    out.push(
      row(
        [
          m.server,
          x.run.mode,
          String(x.run.clients),
          String(x.run.outstanding),
          x.run.qps ? String(x.run.qps) : '-',
          int(x.sent),
          int(x.completed),
          int(x.lost),
          x.run.mode === 'udp' ? int(m.rcvbufDrops) : '-',
          int(x.qps),
          ms(x.avgLatencyMs),
          cpu,
          `${((m.serverCpu / x.qps) * 1e6).toFixed(1)} µs`,
          pct(m.cores[0]),
          pct(m.cores[1]),
          (m.steal ?? []).map(pct1).join('/') || 'n/a',
          m.background.map(pct).join('/'),
          rcodes(x),
        ],
        rw,
      ),
    );
  }

  const lat = (m: Measured | undefined) =>
    m?.result.latencies ? percentiles(m.result.latencies, [50, 90, 99, 99.9, 100]) : [];
  const edgeLat = lat(r.edge.latency);
  const ceilLat = lat(r.ceiling.latency);
  out.push(
    '',
    `Latency at ${int(r.edge.latency?.result.run.qps ?? NaN)} q/s over UDP (dnsperf -Q, one socket; the window with the median p99 of ${r.edge.p99s?.length ?? 0}, ${r.seconds} s each, the servers in turns):`,
  );
  const lw = [10, 11, 11, 11, 11, 11, 10, 10];
  out.push(row(['server', 'p50', 'p90', 'p99', 'p99.9', 'max', 'achieved', 'lost'], lw));
  for (const [name, m, p] of [
    ['edge-dns', r.edge.latency, edgeLat],
    ['ceiling', r.ceiling.latency, ceilLat],
  ] as const) {
    if (m) out.push(row([name, ...p.map(ms), `${int(m.result.qps)}/s`, int(m.result.lost)], lw));
  }
  for (const [name, f] of [
    ['edge-dns', r.edge],
    ['ceiling', r.ceiling],
  ] as const) {
    if (f.p99s)
      out.push(
        `  ${name} p99 of each window, in the order run (the servers took turns): ${f.p99s.map(ms).join(', ')}`,
      );
  }
  for (const [i, n] of r.noise.entries())
    out.push(
      `  machine noise on the servers' core ${i === 0 ? 'before' : 'after'} the windows (busy loop, bench/noise.ts): ${describeNoise(n)}`,
    );
  if (r.edge.latency?.result.byKind) {
    out.push(
      '',
      'edge-dns replies by query kind in that run (expected: NXDOMAIN for the NXDOMAIN kind, NOERROR for the rest):',
    );
    for (const [kind, counts] of Object.entries(r.edge.latency.result.byKind).sort()) {
      out.push(
        `  ${kind.padEnd(13)} ${Object.entries(counts)
          .map(([k, v]) => `${k === 'T' ? 'lost' : k} ${int(v)}`)
          .join(', ')}`,
      );
    }
  }

  const e = r.edge.memory;
  const mb = (m: Memory) => `VmRSS ${m.rss.toFixed(1)} MB (VmHWM ${m.hwm.toFixed(1)} MB)`;
  out.push(
    '',
    `edge-dns memory: at the ready line ${mb(e.atReady)}; after idling ${mb(e.afterLoad)}; after the runs ${mb(e.afterRuns)}`,
  );
  out.push(`ceiling memory (a bare node --import tsx process): ${mb(r.ceiling.memory.afterRuns)}`);
  const t = r.edge.cpu.total;
  out.push(
    `edge-dns CPU: ${(t.user + t.system).toFixed(1)} s in all (user ${t.user.toFixed(1)} s, system ${t.system.toFixed(1)} s), of which loading ${(r.edge.cpu.load.user + r.edge.cpu.load.system).toFixed(1)} s`,
  );

  const eu = best(r.edge.udp);
  const et = best(r.edge.tcp);
  const cu = best(r.ceiling.udp);
  const ct = best(r.ceiling.tcp);
  // Serving: the peak from the post-load idle to the end of the runs (VmHWM reset there), or, where
  // the reset failed, the larger of the two samples.
  const rss = e.peakReset
    ? Math.max(e.afterLoad.rss, e.afterRuns.hwm)
    : Math.max(e.afterLoad.rss, e.afterRuns.rss);
  const cfg = (m: Measured | undefined) =>
    m ? ` (-c ${m.result.run.clients} -q ${m.result.run.outstanding})` : '';
  out.push('', 'Summary (edge-dns vs the minimal Node server on the same core, and the floors):');
  const w = [22, 26, 26, 12, 8];
  out.push(row(['', 'edge-dns', 'ceiling', 'floor', 'verdict'], w));
  out.push(
    row(
      [
        'q/s UDP (best)',
        `${int(eu?.result.qps ?? NaN)}${cfg(eu)}`,
        `${int(cu?.result.qps ?? NaN)}${cfg(cu)}`,
        `>= ${int(floors.udp)}`,
        verdict(eu && eu.result.qps >= floors.udp),
      ],
      w,
    ),
  );
  out.push(
    row(
      [
        'q/s TCP (best)',
        `${int(et?.result.qps ?? NaN)}${cfg(et)}`,
        `${int(ct?.result.qps ?? NaN)}${cfg(ct)}`,
        `>= ${int(floors.tcp)}`,
        verdict(et && et.result.qps >= floors.tcp),
      ],
      w,
    ),
  );
  out.push(row(['p50 at 20k q/s UDP', ms(edgeLat[0]), ms(ceilLat[0]), '', ''], w));
  out.push(
    row(
      [
        'p99 at 20k q/s UDP',
        ms(edgeLat[2]),
        ms(ceilLat[2]),
        `< ${floors.p99Ms} ms`,
        verdict(
          edgeLat[2] === undefined
            ? undefined
            : edgeLat[2] < floors.p99Ms && (r.edge.latency?.result.lost ?? 0) === 0,
        ),
      ],
      w,
    ),
  );
  if (ceilLat[2] !== undefined && ceilLat[2] >= floors.p99Ms / 2) {
    out.push(
      `  note: the minimal server's own p99 is ${ms(ceilLat[2])} in this run, half the floor or more: the machine's noise, not the`,
    );
    out.push(
      '        server, sets much of the tail (see "machine noise" above); run it again when the machine is quiet.',
    );
  }
  out.push(row(['RSS at the ready line', `${e.atReady.rss.toFixed(1)} MB`, '', '', ''], w));
  out.push(
    row(
      [
        e.peakReset ? 'RSS serving (peak)' : 'RSS serving (2 samples)',
        `${rss.toFixed(1)} MB`,
        `${r.ceiling.memory.afterRuns.rss.toFixed(1)} MB`,
        `< ${floors.rssMb} MB`,
        verdict(rss < floors.rssMb),
      ],
      w,
    ),
  );
  out.push(row(['RSS after the runs', `${e.afterRuns.rss.toFixed(1)} MB`, '', '', ''], w));
  out.push(
    row(
      [
        'peak RSS while loading',
        `${e.afterLoad.hwm.toFixed(1)} MB`,
        `${r.ceiling.memory.afterRuns.hwm.toFixed(1)} MB`,
        '',
        '',
      ],
      w,
    ),
  );
  out.push(row(['lost (all runs)', int(sum(r.edge)), int(sum(r.ceiling)), '', ''], w));
  console.log(out.join('\n'));
}

function sum(f: ServerFigures): number {
  return [...f.udp, ...f.tcp, ...(f.latency ? [f.latency] : [])].reduce(
    (n, m) => n + m.result.lost,
    0,
  );
}
