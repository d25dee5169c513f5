// The container image's Node flags (NODE_OPTIONS in infra/container/Dockerfile) and malloc
// settings (its MALLOC_* variables): the benches start the bundle with them, so that they measure
// what ships.
import { readFileSync } from 'node:fs';

export function containerNodeFlags(root: string): string[] {
  const dockerfile = readFileSync(`${root}/infra/container/Dockerfile`, 'utf8');
  // The ENV instruction's value, not the comments that quote other settings.
  const options = dockerfile.match(/^ENV\b.*\bNODE_OPTIONS="([^"]*)"/m)?.[1];
  if (options === undefined)
    throw new Error('infra/container/Dockerfile sets no NODE_OPTIONS="..."');
  return options.split(/\s+/).filter(Boolean);
}

/** The ENV instruction's MALLOC_* variables (glibc's tunables), as an environment to merge. */
export function containerMallocEnv(root: string): Record<string, string> {
  const dockerfile = readFileSync(`${root}/infra/container/Dockerfile`, 'utf8');
  const line = dockerfile.match(/^ENV\b.*$/m)?.[0] ?? '';
  const env = Object.fromEntries(
    [...line.matchAll(/\b(MALLOC_\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
  );
  if (!env.MALLOC_ARENA_MAX) throw new Error('infra/container/Dockerfile sets no MALLOC_ARENA_MAX');
  return env;
}
