// The container image's Node flags (NODE_OPTIONS in infra/container/Dockerfile): the benches start
// the bundle with them, so that they measure what ships.
import { readFileSync } from 'node:fs';

export function containerNodeFlags(root: string): string[] {
  const dockerfile = readFileSync(`${root}/infra/container/Dockerfile`, 'utf8');
  const options = dockerfile.match(/NODE_OPTIONS="([^"]*)"/)?.[1] ?? dockerfile.match(/NODE_OPTIONS=(\S+)/)?.[1];
  if (options === undefined) throw new Error('infra/container/Dockerfile sets no NODE_OPTIONS');
  return options.split(/\s+/).filter(Boolean);
}
