// Runs h2load (nghttp2-client) against a DoH URL list and reads its report and per-request log.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { percentiles } from './dnsperf.ts';

export interface H2loadRun {
  /** File of URIs, one per line (h2load -i); cycled through. */
  uris: string;
  requests: number;
  clients: number;
  streams: number;
  /** Requests per second per client (--rps); undefined = as fast as the server answers. */
  rps?: number;
  core?: number;
  logFile: string;
  /** A file whose bytes every request POSTs as application/dns-message (h2load -d). */
  postBody?: string;
}

export interface H2loadResult {
  rps: number;
  succeeded: number;
  failed: number;
  status2xx: number;
  /** Latency percentiles in ms from the per-request log. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function h2loadVersion(): string | undefined {
  const r = spawnSync('h2load', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function runH2load(run: H2loadRun): H2loadResult {
  const args = [
    '-n',
    String(run.requests),
    '-c',
    String(run.clients),
    '-m',
    String(run.streams),
    '-t',
    '1',
    '-i',
    run.uris,
    `--log-file=${run.logFile}`,
  ];
  if (run.rps !== undefined) args.push(`--rps=${run.rps}`);
  if (run.postBody) args.push('-d', run.postBody, '-H', 'content-type: application/dns-message');
  const [cmd, full] =
    run.core === undefined
      ? ['h2load', args]
      : ['taskset', ['-c', String(run.core), 'h2load', ...args]];
  const r = spawnSync(cmd, full, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`h2load failed: ${r.stderr || r.stdout}`);
  const out = r.stdout;
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const durations = readFileSync(run.logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .filter((cols) => cols[1] !== '-1')
    .map((cols) => Number(cols[2]) / 1000);
  const [p50 = NaN, p90 = NaN, p99 = NaN, max = NaN] = percentiles(durations, [50, 90, 99, 100]);
  return {
    rps: num(/finished in [\d.]+\w+, ([\d.]+) req\/s/),
    succeeded: num(/requests: .* (\d+) succeeded/),
    failed: num(/requests: .* (\d+) failed/),
    status2xx: num(/status codes: (\d+) 2xx/),
    p50,
    p90,
    p99,
    max,
  };
}
