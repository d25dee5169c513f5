// Runs dnsperf (DNS-OARC) against a loopback server and reads its report. With `verbose`, dnsperf
// prints one line per reply (`> NOERROR name TYPE 0.000123`): latencies for percentiles, and
// rcodes by query type to check the mix answered as expected. Its output goes to a file, read once
// it exits: parsing 20,000 lines a second while it runs would take the client's core from it and
// show up as latency (the p99 of bench:dns's latency runs rose from ~0.5 ms to 1-5 ms that way).
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pinnedCommand, spawnTracked } from './proc.ts';

export interface DnsperfRun {
  port: number;
  mode: 'udp' | 'tcp';
  file: string;
  seconds: number;
  clients: number;
  outstanding: number;
  /** -Q: a fixed rate instead of as fast as the server answers. */
  qps?: number;
  /** Seconds before an unanswered query counts as lost (-t). */
  timeout?: number;
  verbose?: boolean;
  /** verbose only: the bucket a reply is counted in (default: its query type). */
  classify?: (name: string, type: string) => string;
  core?: number;
  /** Keep dnsperf's output in this file instead of a temporary one that is deleted once read. */
  keepAs?: string;
}

export interface DnsperfResult {
  run: DnsperfRun;
  sent: number;
  completed: number;
  lost: number;
  qps: number;
  runTime: number;
  rcodes: Record<string, number>;
  avgLatencyMs: number;
  /** verbose only: each reply's latency in ms, and rcode counts per query kind. */
  latencies?: number[];
  byKind?: Record<string, Record<string, number>>;
}

/** `dnsperf -h` output names the version; undefined when dnsperf cannot run. */
export function dnsperfVersion(): string | undefined {
  const out = spawnSync('dnsperf', ['-h'], { encoding: 'utf8' });
  if (out.error) return undefined;
  return `${out.stdout}${out.stderr}`.match(/Version (\S+)/)?.[1] ?? 'unknown version';
}

/** dnsperf arguments for one run; traffic goes to 127.0.0.1 only. */
function dnsperfArgs(run: DnsperfRun): string[] {
  const args = [
    '-s',
    '127.0.0.1',
    '-p',
    String(run.port),
    '-m',
    run.mode,
    '-d',
    run.file,
    '-l',
    String(run.seconds),
  ];
  args.push(
    '-c',
    String(run.clients),
    '-q',
    String(run.outstanding),
    '-t',
    String(run.timeout ?? 1),
  );
  if (run.qps !== undefined) args.push('-Q', String(run.qps));
  if (run.verbose) args.push('-v');
  return args;
}

export async function runDnsperf(run: DnsperfRun): Promise<DnsperfResult> {
  const [cmd, args] = pinnedCommand(run.core, 'dnsperf', dnsperfArgs(run));
  const dir =
    run.keepAs === undefined ? mkdtempSync(join(tmpdir(), 'edge-dns-dnsperf-')) : undefined;
  const outFile = run.keepAs ?? join(dir!, 'out.txt');
  const fd = openSync(outFile, 'w');
  const child = spawnTracked(cmd, args, undefined, fd);
  closeSync(fd); // the child has its own copy
  const report: string[] = [];
  const latencies: number[] = [];
  const byKind: Record<string, Record<string, number>> = {};
  const classify = run.classify ?? ((_name: string, type: string) => type);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const lines = createInterface({ input: createReadStream(outFile) });
  lines.on('line', (line) => {
    if (!line.startsWith('> ')) {
      report.push(line);
      return;
    }
    // `> RCODE name TYPE seconds`; anything else (a timeout) is counted under its first word.
    const [, rcode = '?', name = '', type = '?', seconds] = line.split(' ');
    const counts = (byKind[classify(name, type)] ??= {});
    counts[rcode] = (counts[rcode] ?? 0) + 1;
    if (seconds !== undefined && /^\d/.test(seconds)) latencies.push(Number(seconds) * 1000);
  });
  await new Promise((resolve) => lines.once('close', resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
  const text = report.join('\n');
  if (code !== 0 || !/Queries sent:/.test(text)) {
    throw new Error(
      `dnsperf ${dnsperfArgs(run).join(' ')} failed (exit ${code}):\n${stderr.trim()}\n${text.slice(-2000)}`,
    );
  }
  return { ...parseReport(text), run, ...(run.verbose ? { latencies, byKind } : {}) };
}

/** The Statistics block of dnsperf's report. */
function parseReport(text: string): Omit<DnsperfResult, 'run'> {
  const num = (re: RegExp) => Number(text.match(re)?.[1] ?? NaN);
  const rcodes: Record<string, number> = {};
  for (const part of text.match(/Response codes:\s+(.*)/)?.[1]?.split(', ') ?? []) {
    const [rcode, count] = part.split(' ');
    if (rcode && count) rcodes[rcode] = Number(count);
  }
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
    runTime: num(/Run time \(s\):\s+([\d.]+)/),
    rcodes,
    avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
  };
}

/** Nearest-rank percentile (p in 0..100) of values; sorts a copy. */
export function percentiles(values: number[], ps: number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) =>
    sorted.length === 0
      ? NaN
      : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!,
  );
}
