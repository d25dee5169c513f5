// A tool the benchmark needs, installed with apt-get when missing (Debian's package of that name;
// sudo only when not root), or a clear message and exit when that is not possible.
import { spawnSync } from 'node:child_process';

/**
 * `version()` of the tool; when it is undefined, runs `apt-get install -y pkg` (noninteractive)
 * and asks again; exits with `sudo apt-get install -y pkg` as advice when it still fails.
 */
export function ensureApt(
  pkg: string,
  version: () => string | undefined,
  log: (m: string) => void,
): string {
  const found = version();
  if (found) return found;
  const root = process.getuid?.() === 0;
  const hasSudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (root || hasSudo) {
    log(`${pkg} not found; running ${root ? '' : 'sudo '}apt-get install -y ${pkg}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const [cmd, args] = root
      ? ['apt-get', ['install', '-y', pkg]]
      : ['sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', pkg]];
    spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    const installed = version();
    if (installed) return installed;
  }
  log(`${pkg} is required. Install it with \`sudo apt-get install -y ${pkg}\` and run again.`);
  process.exit(1);
}

/** The `Version x.y.z` a command prints (`cmd args`, stdout and stderr), or undefined if it cannot run. */
export function printedVersion(cmd: string, args: string[]): string | undefined {
  const out = spawnSync(cmd, args, { encoding: 'utf8' });
  if (out.error) return undefined;
  return `${out.stdout}${out.stderr}`.match(/Version (\S+)/)?.[1] ?? 'unknown version';
}
