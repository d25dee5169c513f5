// How much of a core the machine takes away: a busy loop pinned to the core reads the clock
// without pause, and every gap between two reads over 0.1 ms is time it did not run (the host's
// other guests, interrupts, other processes). On a quiet machine the gaps are a few ms per second;
// on a shared one they set a floor under any server's p99 at a fixed rate.
import { spawnSync } from 'node:child_process';
import { coreBusy, coreTicks, pinnedCommand } from './proc.ts';

export interface Noise {
  /** Milliseconds lost per second of the probe, in gaps over 0.1 ms. */
  lostMsPerSecond: number;
  /** The longest gap, ms. */
  longestMs: number;
  /** Gaps over 1 ms per second. */
  over1msPerSecond: number;
  /** The core's stolen share meanwhile (/proc/stat): the part of the gaps the hypervisor owns up to. */
  steal: number;
}

const LOOP = `
const end = process.hrtime.bigint() + BigInt(Number(process.argv[1]) * 1e9);
let last = process.hrtime.bigint(), lost = 0, longest = 0, over1 = 0;
for (let now = last; now < end; last = now) {
  now = process.hrtime.bigint();
  const gap = Number(now - last) / 1e6;
  if (gap > 0.1) { lost += gap; if (gap > longest) longest = gap; if (gap > 1) over1++; }
}
console.log(JSON.stringify({ lost, longest, over1 }));`;

/** Runs the probe on `core` (unpinned without one) for `seconds`; synchronous by design: nothing else should run. */
export function probeNoise(core: number | undefined, seconds = 3): Noise {
  const [cmd, args] = pinnedCommand(core, process.execPath, ['-e', LOOP, String(seconds)]);
  const before = coreTicks();
  const out = spawnSync(cmd, args, { encoding: 'utf8' });
  const steal = coreBusy(before, coreTicks(), 'steal')[core ?? 0] ?? NaN;
  const r = JSON.parse(out.stdout.trim() || '{}') as {
    lost?: number;
    longest?: number;
    over1?: number;
  };
  if (r.lost === undefined) throw new Error(`noise probe failed: ${out.stderr}`);
  return {
    lostMsPerSecond: r.lost / seconds,
    longestMs: r.longest ?? 0,
    over1msPerSecond: (r.over1 ?? 0) / seconds,
    steal,
  };
}

export function describeNoise(n: Noise): string {
  return `${n.lostMsPerSecond.toFixed(1)} ms/s lost in gaps over 0.1 ms, ${n.over1msPerSecond.toFixed(1)} gaps/s over 1 ms, longest ${n.longestMs.toFixed(2)} ms, steal ${(n.steal * 100).toFixed(1)}%`;
}
