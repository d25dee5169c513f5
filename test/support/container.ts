// Starts the container entry (functions/entry/container.ts) as a real Node process and waits for
// its ready line (the CLI contract in functions/entry/container.ts):
//   edge-dns ready: N names on udp://HOST:PORT and tcp://HOST:PORT (...)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Addr } from './dns-client.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_CLUSTER = 'test/fixtures/sample-cluster.json';

export interface Container {
  udp: Addr;
  tcp: Addr;
  /** The ready line as printed. */
  readyLine: string;
  pid: number;
  /** SIGTERM, then wait for the exit; resolves with the exit code (or signal name). */
  stop(): Promise<number | string | null>;
  stdout(): string;
  stderr(): string;
}

/** `[::1]` -> `::1`. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Parses the ready line; undefined when the line is not it. */
export function parseReadyLine(line: string): { udp: Addr; tcp: Addr } | undefined {
  return line.includes('ready') ? parseDnsAddresses(line) : undefined;
}

/** The udp:// and tcp:// addresses a line names (the ready line, or the live source's listening line). */
export function parseDnsAddresses(line: string): { udp: Addr; tcp: Addr } | undefined {
  const udp = /udp:\/\/(\S+):(\d+)/.exec(line);
  const tcp = /tcp:\/\/(\S+):(\d+)/.exec(line);
  if (!udp || !tcp) return undefined;
  return {
    udp: { host: unbracket(udp[1] as string), port: Number(udp[2]) },
    tcp: { host: unbracket(tcp[1] as string), port: Number(tcp[2]) },
  };
}

/**
 * Spawns `node --import tsx functions/entry/container.ts ...args` in the repo root.
 * Adds `--dns 127.0.0.1:0` unless args name `--dns`. Rejects, with stderr, when the process
 * exits before printing its ready line.
 */
export function startContainer(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<Container> {
  const fullArgs = args.includes('--dns') ? args : [...args, '--dns', '127.0.0.1:0'];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/entry/container.ts', ...fullArgs],
    {
      cwd: REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });

  const stop = async (): Promise<number | string | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // A safety net against a process that ignores SIGTERM; not a timing assertion.
      const guard = setTimeout(() => child.kill('SIGKILL'), 5000);
      const result = await exited;
      clearTimeout(guard);
      return result;
    }
    return exited;
  };

  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      buffered += s;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const addrs = parseReadyLine(line);
        if (addrs) {
          resolve({
            ...addrs,
            readyLine: line,
            pid: child.pid ?? -1,
            stop,
            stdout: () => out,
            stderr: () => err,
          });
        }
      }
    });
    child.once('error', reject);
    void exited.then((code) =>
      reject(
        new Error(
          `container exited (${code}) before its ready line\nargs: ${fullArgs.join(' ')}\nstderr:\n${err}\nstdout:\n${out}`,
        ),
      ),
    );
  });
}
