// The shell commands a README shows, read from its ```sh blocks, and run as a user would run them
// (sh -c, from the repository root), so a test can check each against the answer its comment
// promises. Used by npm-start.test.ts ("Try it") and readme-examples.test.ts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { REPO_ROOT } from './container.ts';

export interface ReadmeCommand {
  /** The command as written, without its comment. */
  command: string;
  /** The comment after ` # `, or ''. */
  comment: string;
}

/** Each command line of the ```sh blocks under `heading` (up to the next heading of its level or
 *  higher) in `file` (from the repository root), in order. */
export function readmeCommands(file: string, heading: string): ReadmeCommand[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`${file}: no heading "${heading}"`);
  const level = heading.split(' ')[0] as string;
  const out: ReadmeCommand[] = [];
  let inBlock = false;
  let pending = '';
  for (const line of lines.slice(start + 1)) {
    if (!inBlock && /^#+ /.test(line) && line.split(' ')[0]!.length <= level.length) break;
    if (line.startsWith('```')) {
      inBlock = !inBlock && line.trim() === '```sh';
      continue;
    }
    if (!inBlock || line.trim() === '') continue;
    const text = pending + line;
    if (text.endsWith('\\')) {
      pending = `${text.slice(0, -1).trimEnd()} `;
      continue;
    }
    pending = '';
    const hash = /\s+#\s?(.*)$/.exec(text);
    out.push({
      command: (hash ? text.slice(0, hash.index) : text).trim(),
      comment: hash?.[1]?.trim() ?? '',
    });
  }
  return out;
}

/** Runs `command` with sh from the repository root; resolves with its exit code and output. */
export function runCommand(
  command: string,
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', command],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A long-running command (a server) started with sh in its own process group, and the first
 *  stdout line matching `ready`; rejects with the output if it exits first or after `timeoutMs`. */
export async function startCommand(
  command: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; line: string; stop(): Promise<void> }> {
  // detached: npm runs the command under a shell; the whole group is stopped.
  const child = spawn('sh', ['-c', command], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGTERM');
    const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(guard);
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${command}: no line matching ${ready} in ${timeoutMs} ms\n${out}${err}`),
          ),
        timeoutMs,
      );
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const found = out.split('\n').find((l) => ready.test(l));
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command}: exited (${code}) first\nstdout:\n${out}\nstderr:\n${err}`));
      });
    });
    return { child, line, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** undefined when 127.0.0.1:port is free for TCP (and UDP when `udp`), else why not. */
export async function busy(port: number, udp: boolean): Promise<string | undefined> {
  const tcp = createServer();
  try {
    tcp.listen(port, '127.0.0.1');
    await once(tcp, 'listening');
  } catch (error) {
    return `tcp 127.0.0.1:${port} is in use (${(error as Error).message})`;
  } finally {
    tcp.close();
  }
  if (!udp) return undefined;
  const sock = createSocket('udp4');
  try {
    sock.bind(port, '127.0.0.1');
    await once(sock, 'listening');
    return undefined;
  } catch (error) {
    return `udp 127.0.0.1:${port} is in use (${(error as Error).message})`;
  } finally {
    sock.close();
  }
}
