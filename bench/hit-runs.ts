// The measured runs of `npm run bench:forward` against one warm forwarder: the UDP sweep at full
// rate, then the fixed-rate latency runs, with dnsperf on its own core, counting the queries the
// upstream received meanwhile (0 when every query was a cache hit).
import { percentiles, runDnsperf, type DnsperfRun } from './dnsperf.ts';
import { coreBusy, coreTicks, cpuSeconds, udpReceiveBufferErrors, waitQuiet } from './proc.ts';
import type { Measured } from './report.ts';
import { classifyForward } from './external-zone.ts';

const udpSweep = [
  { clients: 1, outstanding: 20 },
  { clients: 4, outstanding: 100 },
  { clients: 8, outstanding: 500 },
];
const latencyRun = { clients: 1, outstanding: 2000, qps: 20_000, timeout: 2 };

export interface HitFigures {
  udp: Measured[];
  /** The run with the median p99 of three; all three p99s beside it. */
  latency: Measured | undefined;
  p99s: number[];
  /** The three latency runs in order (only the reported one keeps its latencies). */
  latencyRuns: Measured[];
  /** Upstream queries from the first measured run to the end of the last (warm-up at the rate included). */
  upstreamQueries: number;
}

export interface HitTarget {
  server: string;
  pid: number;
  port: number;
  file: string;
  seconds: number;
  /** dnsperf's core (undefined: not pinned). */
  core: number | undefined;
  upstreamCount: () => number;
  log: (m: string) => void;
}

export async function measureHits(t: HitTarget): Promise<HitFigures> {
  const one = async (
    run: Omit<DnsperfRun, 'file' | 'seconds' | 'core' | 'port' | 'mode'>,
  ): Promise<Measured> => {
    const background = await waitQuiet(30_000);
    const cpu = cpuSeconds(t.pid);
    const ticks = coreTicks();
    const drops = udpReceiveBufferErrors();
    t.log(
      `${t.server} udp -c ${run.clients} -q ${run.outstanding}${run.qps ? ` -Q ${run.qps}` : ''} for ${t.seconds} s...`,
    );
    const result = await runDnsperf({
      ...run,
      port: t.port,
      mode: 'udp',
      file: t.file,
      seconds: t.seconds,
      core: t.core,
    });
    const after = cpuSeconds(t.pid);
    const used = (k: 'user' | 'system') => (after[k] - cpu[k]) / result.runTime;
    return {
      server: t.server,
      result,
      serverCpu: used('user') + used('system'),
      serverUser: used('user'),
      cores: coreBusy(ticks, coreTicks()),
      background,
      rcvbufDrops: udpReceiveBufferErrors() - drops,
    };
  };
  const before = t.upstreamCount();
  const udp: Measured[] = [];
  for (const s of udpSweep) udp.push(await one(s));
  // As bench:dns: 3 s at the measured rate first (not reported), then three runs with -v.
  t.log(`${t.server} udp warm-up at ${latencyRun.qps} q/s for 3 s (not measured)...`);
  await runDnsperf({
    ...latencyRun,
    port: t.port,
    mode: 'udp',
    file: t.file,
    seconds: 3,
    core: t.core,
  });
  const runs: { m: Measured; p99: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const m = await one({ ...latencyRun, verbose: true, classify: classifyForward });
    runs.push({ m, p99: percentiles(m.result.latencies ?? [], [99])[0] ?? NaN });
  }
  const p99s = runs.map((r) => r.p99);
  const latencyRuns = runs.map((r) => r.m);
  t.log(
    `${t.server} p99 at ${latencyRun.qps} q/s in three runs: ${p99s.map((p) => `${p.toFixed(3)} ms`).join(', ')}; the median run is reported`,
  );
  runs.sort((a, b) => a.p99 - b.p99);
  const latency = runs[1]?.m;
  // The -v runs keep every latency (hundreds of thousands of numbers): keep only the median run's.
  for (const r of runs) if (r.m !== latency) delete r.m.result.latencies;
  return { udp, latency, p99s, latencyRuns, upstreamQueries: t.upstreamCount() - before };
}
