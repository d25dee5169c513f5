// The container image's Node flags (NODE_OPTIONS in infra/container/Dockerfile): the benches start
// the bundle with them, so that they measure what ships.
import { readFileSync } from 'node:fs';

export function containerNodeFlags(root: string): string[] {
  const dockerfile = readFileSync(`${root}/infra/container/Dockerfile`, 'utf8');
  // The ENV instruction's value, not the comments that quote other settings.
  const options = dockerfile.match(/^ENV\b.*\bNODE_OPTIONS="([^"]*)"/m)?.[1];
  if (options === undefined)
    throw new Error('infra/container/Dockerfile sets no NODE_OPTIONS="..."');
  return options.split(/\s+/).filter(Boolean);
}
