// The fixed-rate latency runs of bench:dns, taken in turns: window 1 against each server, then
// window 2 against each, and so on, so that the servers meet the same spells of machine noise
// (on a shared machine the ceiling's own p99 moves 0.5-5 ms from one minute to the next).
import { percentiles, type DnsperfRun } from './dnsperf.ts';
import { describeNoise, probeNoise, type Noise } from './noise.ts';
import type { Measured } from './report.ts';

export interface LatencyTarget {
  server: string;
  pid: number;
  port: number;
}

export interface LatencyFigures {
  /** The window with the median p99. */
  latency: Measured | undefined;
  /** Each window's p99, in the order run. */
  p99s: number[];
}

export interface LatencyPlan {
  qps: number;
  /** Seconds measured per window. */
  seconds: number;
  windows: number;
  /** Seconds of each window's start that are not measured: a dnsperf start can stall its first replies. */
  skipSeconds: number;
  warmSeconds: number;
  serverCore: number | undefined;
}

type RunOne = (
  target: LatencyTarget,
  run: Omit<DnsperfRun, 'file' | 'seconds' | 'core'>,
  seconds: number,
) => Promise<Measured>;

/** Runs the windows in turns; returns each server's figures and the noise probes before and after. */
export async function latencyInTurns(
  targets: LatencyTarget[],
  plan: LatencyPlan,
  run: Omit<DnsperfRun, 'file' | 'seconds' | 'core' | 'port' | 'mode'>,
  runOne: RunOne,
): Promise<{ figures: LatencyFigures[]; noise: Noise[] }> {
  for (const t of targets) {
    console.error(
      `bench:dns: ${t.server} udp warm-up at ${plan.qps} q/s for ${plan.warmSeconds} s (not measured)...`,
    );
    await runOne(t, { ...run, port: t.port, mode: 'udp' }, plan.warmSeconds);
  }
  const probe = (when: string) => {
    const n = probeNoise(plan.serverCore);
    console.error(
      `bench:dns: core ${plan.serverCore ?? '(unpinned)'} ${when} the latency windows: ${describeNoise(n)}`,
    );
    return n;
  };
  const noise = [probe('before')];
  const windows: { m: Measured; p99: number }[][] = targets.map(() => []);
  const skip = plan.qps * plan.skipSeconds;
  for (let w = 0; w < plan.windows; w++) {
    for (const [i, t] of targets.entries()) {
      const m = await runOne(
        t,
        { ...run, port: t.port, mode: 'udp', verbose: true },
        plan.skipSeconds + plan.seconds,
      );
      const latencies = (m.result.latencies ?? []).slice(skip);
      windows[i]!.push({
        m: { ...m, result: { ...m.result, latencies } },
        p99: percentiles(latencies, [99])[0] ?? NaN,
      });
    }
  }
  noise.push(probe('after'));
  const figures = windows.map((runs, i) => {
    const p99s = runs.map((r) => r.p99);
    const sorted = [...runs].sort((a, b) => a.p99 - b.p99);
    console.error(
      `bench:dns: ${targets[i]!.server} p99 at ${plan.qps} q/s in ${runs.length} windows, in order: ${p99s.map((p) => `${p.toFixed(3)} ms`).join(', ')}`,
    );
    return { latency: sorted[Math.floor(sorted.length / 2)]?.m, p99s };
  });
  return { figures, noise };
}
