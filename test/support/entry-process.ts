// An entry (functions/entry/container.ts, sync/main.ts) run as a real Node process from source
// under tsx, with its output kept line by line so that a test awaits the lines the entry's CLI
// contract promises instead of sleeping.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './container.ts';

interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

interface WaitOptions {
  /** Which stream to read (default: either). */
  stream?: OutputLine['stream'];
  /** Only lines from this index on (see mark()); default 0, so a line already printed counts. */
  from?: number;
  /** A guard against a line that never comes; not an assertion on speed (default 15 s). */
  timeoutMs?: number;
}

export interface EntryProcess {
  pid: number;
  /** Every line printed so far, in arrival order per stream. */
  lines(): readonly OutputLine[];
  /** The index the next line will get: pass it as `from` to wait only for later lines. */
  mark(): number;
  /** Resolves with the first line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, options?: WaitOptions): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has exited and its output is read. */
  exited: Promise<number | string | null>;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code (SIGKILL after 10 s as a safety net). */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
  stdout(): string;
  stderr(): string;
  /** Stops reading the child's stdout, so its pipe fills as behind a slow log collector; the
   *  function returned reads on. */
  holdStdout(): () => void;
}

/**
 * Spawns `node --import tsx ENTRY ...args` in the repo root; with `prefix`, that command line runs
 * under it (`['ip', 'netns', 'exec', NS]`: inside a network namespace); with `command`, `command`
 * runs instead of node and ENTRY (a shell script: `['sh', FILE]`).
 */
export function startEntry(
  entry: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; prefix?: string[]; command?: string[] } = {},
): EntryProcess {
  const [file, ...argv] = [
    ...(opts.prefix ?? []),
    ...(opts.command ?? [process.execPath, '--import', 'tsx', entry]),
    ...args,
  ] as [string, ...string[]];
  const child = spawn(file, argv, {
    cwd: REPO_ROOT,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: OutputLine[] = [];
  const text = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  let done = false;
  // 'close' comes after the exit and after both streams ended: every line is in `lines` by then.
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('close', (code, signal) => {
      done = true;
      for (const wake of [...waiters]) wake();
      resolve(code ?? signal);
    });
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream].setEncoding('utf8').on('data', (s: string) => {
      text[stream] += s;
      partial += s;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        lines.push({ stream, text: partial.slice(0, nl) });
        partial = partial.slice(nl + 1);
      }
      for (const wake of [...waiters]) wake();
    });
  }
  const describe = () =>
    `${entry} ${args.join(' ')}\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`;

  const waitFor = (pattern: RegExp, o: WaitOptions = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      let next = o.from ?? 0;
      const timeoutMs = o.timeoutMs ?? 15_000;
      const finish = (error: Error | undefined, line?: string) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(line as string);
      };
      const check = () => {
        for (; next < lines.length; next++) {
          const line = lines[next] as OutputLine;
          if ((!o.stream || line.stream === o.stream) && pattern.test(line.text))
            return finish(undefined, line.text);
        }
        if (done)
          finish(
            new Error(
              `exited (${child.exitCode ?? child.signalCode}) before a line matching ${pattern}\n${describe()}`,
            ),
          );
      };
      // unref: a wait nobody needs any more (the loser of a race) does not hold the test open.
      const timer = setTimeout(
        () =>
          finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${describe()}`)),
        timeoutMs,
      ).unref();
      waiters.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(guard);
      return code;
    }
    return exited;
  };

  return {
    pid: child.pid ?? -1,
    lines: () => lines,
    mark: () => lines.length,
    waitFor,
    exited,
    stop,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    holdStdout: () => {
      child.stdout.pause();
      return () => child.stdout.resume();
    },
  };
}
