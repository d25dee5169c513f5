// Real command-line clients (dig, kdig, dnsperf) for interop tests: find them on PATH, run them.
// A missing tool skips its test with a visible reason; under EDGE_DNS_REQUIRE_TOOLS=1 (set by
// .ci/run, which installs them) a missing tool fails the test instead.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian package that provides each tool (what .ci/run installs). */
const PACKAGES: Record<string, string> = {
  dig: 'bind9-dnsutils',
  kdig: 'knot-dnsutils',
  dnsperf: 'dnsperf',
  curl: 'curl',
  promtool: 'prometheus',
  ip: 'iproute2',
  iptables: 'iptables',
};

/** Full path of an executable `name` on PATH, or undefined. */
function findTool(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * undefined when `name` is on PATH. Otherwise a skip reason such as
 * `dig not installed (apt-get install bind9-dnsutils)`, or, when EDGE_DNS_REQUIRE_TOOLS=1,
 * throws with that reason so the test fails. Use: `const skip = requireTool('dig'); if (skip) return t.skip(skip);`
 */
export function requireTool(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (findTool(name, env.PATH ?? '')) return undefined;
  const reason = `${name} not installed (apt-get install ${PACKAGES[name] ?? name})`;
  if (env.EDGE_DNS_REQUIRE_TOOLS === '1') {
    throw new Error(`${reason}, and EDGE_DNS_REQUIRE_TOOLS=1 requires it`);
  }
  return reason;
}

/** A guard against a hung client; the tests also pass the clients' own timeouts. Not an assertion on speed. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Runs `cmd args` (execFile, no shell) and resolves with its stdout. Rejects on a non-zero exit,
 * with the command line, stdout and stderr in the message.
 */
export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { encoding: 'utf8', timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed
            ? `killed (${error.signal ?? 'timeout'})`
            : `exit ${String(error.code)}`;
          reject(
            new Error(`${cmd} ${args.join(' ')}: ${how}\nstdout:\n${stdout}\nstderr:\n${stderr}`),
          );
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
