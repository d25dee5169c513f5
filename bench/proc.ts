// Processes for the benchmarks: start pinned to a core, wait for a ready line, stop on exit;
// and what /proc says about them (memory, CPU time, per-core busy time).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const children = new Set<ChildProcess>();

/** Whether processes can be pinned (taskset present, two cores or more). */
export function canPin(cores: number): boolean {
  return hasTaskset && cores >= 2;
}

/** `cmd args` run on one core (`taskset -c CORE`, which execs: the child's pid is cmd's). */
export function pinnedCommand(
  core: number | undefined,
  cmd: string,
  args: string[],
): [string, string[]] {
  return core === undefined || !hasTaskset
    ? [cmd, args]
    : ['taskset', ['-c', String(core), cmd, ...args]];
}

/** Pins this process (the orchestrator) to a core, so it does not compete with the server. */
export function pinSelf(core: number): void {
  if (hasTaskset)
    spawnSync('taskset', ['-pc', String(core), String(process.pid)], { stdio: 'ignore' });
}

/** Spawns a child that is stopped when this process exits. */
export function spawnTracked(
  cmd: string,
  args: string[],
  cwd?: string,
  stdout: 'pipe' | number = 'pipe',
): ChildProcess {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', stdout, 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export function stop(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Kills every child still running (on exit, error or signal); synchronous by necessity. */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Started {
  child: ChildProcess;
  pid: number;
  line: string;
  match: RegExpMatchArray;
  ms: number;
}

/**
 * Starts a server and resolves when a stdout line matches `ready`; rejects (with its stderr)
 * if it exits first or takes longer than `timeoutMs`.
 */
export function startServer(
  cmd: string,
  args: string[],
  ready: RegExp,
  timeoutMs: number,
  cwd?: string,
): Promise<Started> {
  const started = Date.now();
  const child = spawnTracked(cmd, args, cwd);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${[cmd, ...args].join(' ')}: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no ready line after ${timeoutMs / 1000} s`), timeoutMs);
    const exited = (code: number | null, signal: string | null) =>
      fail(`exited (${signal ?? code}) before it was ready`);
    child.once('exit', exited);
    child.once('error', (error) => fail(error.message));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = line.match(ready);
      if (!match || child.pid === undefined) return;
      clearTimeout(timer);
      child.off('exit', exited);
      lines.close();
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      resolve({ child, pid: child.pid, line, match, ms: Date.now() - started });
    });
  });
}

/** VmRSS and VmHWM (peak RSS) of a process, in MB (10^6 bytes; /proc counts KiB). */
export function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rss: (kb('VmRSS') * 1024) / 1e6, hwm: (kb('VmHWM') * 1024) / 1e6 };
}

/** Resets VmHWM to the current RSS (proc(5), clear_refs "5"), so that it then gives the peak from now on. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const ticksPerSecond =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User and system CPU seconds a process has used so far (all its threads). */
export function cpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / ticksPerSecond, system: Number(fields[12]) / ticksPerSecond };
}

export interface CoreTicks {
  busy: number;
  /** Time the hypervisor ran something else while this virtual core wanted to run. */
  steal: number;
  total: number;
}

/** Per-core jiffies from /proc/stat: busy (everything but idle and iowait), steal and total. */
export function coreTicks(): CoreTicks[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => {
      const v = l.split(/\s+/).slice(1, 9).map(Number);
      const total = v.reduce((a, b) => a + b, 0);
      return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), steal: v[7] ?? 0, total };
    });
}

/** Busy share (0..1) of each core between two coreTicks() samples; `steal`: the stolen share. */
export function coreBusy(
  before: CoreTicks[],
  after: CoreTicks[],
  field: 'busy' | 'steal' = 'busy',
): number[] {
  return after.map((a, i) => {
    const b = before[i];
    return b && a.total > b.total ? (a[field] - b[field]) / (a.total - b.total) : NaN;
  });
}

/**
 * The machine may be shared: samples per-core busy time for 1 s at a time until every core is
 * below `threshold` busy or `maxWaitMs` passes; returns the last sample (the background load).
 */
export async function waitQuiet(maxWaitMs: number, threshold = 0.15): Promise<number[]> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = coreTicks();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = coreBusy(before, coreTicks());
    if (busy.every((b) => b < threshold) || Date.now() >= deadline) return busy;
  }
}

/** Datagrams the kernel dropped because a socket's receive buffer was full (system-wide). */
export function udpReceiveBufferErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp: '));
  const [names, values] = lines.map((l) => l.split(/\s+/).slice(1));
  const i = names?.indexOf('RcvbufErrors') ?? -1;
  return i < 0 ? NaN : Number(values?.[i]);
}
