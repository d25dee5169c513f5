// bench:dns --log: edge-dns with every query logged (CoreDNS `log`, functions/log/). Its stdout,
// the log, goes to a file, as a container runtime's log pipe takes it away, so that no line is
// parsed on the client's core; the ready line is read back from that file.
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { spawnTracked, type Started } from './proc.ts';
import type { Measured } from './report.ts';
import { comparedRows } from './metrics-turns.ts';

/** Starts `cmd args` with stdout to `file`; resolves once a line of the file matches `ready`. */
export function startLoggedServer(
  cmd: string,
  args: string[],
  file: string,
  ready: RegExp,
  timeoutMs: number,
  cwd: string,
): Promise<Started> {
  const started = Date.now();
  const fd = openSync(file, 'w');
  const child = spawnTracked(cmd, args, cwd, fd);
  closeSync(fd);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const text = readFileSync(file, 'utf8');
      const line = text.split('\n').find((l) => ready.test(l));
      const match = line?.match(ready);
      if (line && match && child.pid !== undefined) {
        clearInterval(timer);
        resolve({ child, pid: child.pid, line, match, ms: Date.now() - started });
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(
          new Error(`${cmd} ${args.join(' ')}: not ready (exit ${child.exitCode})\n${stderr}`),
        );
      }
    }, 100);
  });
}

/** The query lines the log file holds, and the lines its reports say were dropped. */
export function logFileCounts(file: string): { lines: number; dropped: number; bytes: number } {
  const text = readFileSync(file, 'utf8');
  let lines = 0;
  let dropped = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('[INFO] ')) lines++;
    const m = /^\[WARNING\] plugin\/log: (\d+) query log lines dropped/.exec(line);
    if (m) dropped += Number(m[1]);
  }
  return { lines, dropped, bytes: statSync(file).size };
}

/** UDP q/s with the query log off and on, setting by setting, and what the log took. */
export function printLogComparison(
  off: Measured[],
  on: Measured[],
  log: { lines: number; dropped: number; bytes: number },
): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  console.log(
    '\n### Query log (CoreDNS `log`, every query logged to a file), UDP, in turns (two runs each)\n',
  );
  row(['UDP setting', 'q/s, log off', 'q/s, log on', 'on/off', 'server CPU off/on', 'lost off/on']);
  row(['---', '---', '---', '---', '---', '---']);
  for (const cells of comparedRows(off, on, true)) row(cells);
  console.log(
    `\nlog file: ${log.lines.toLocaleString('en-US')} query lines (${(log.bytes / 1e6).toFixed(1)} MB), ${log.dropped.toLocaleString('en-US')} dropped (reported by the writer)`,
  );
}
