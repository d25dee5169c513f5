import { readFileSync } from 'node:fs';

// The program's version for --version: set at build time in the bundles (esbuild `define`,
// scripts/build.mjs), read from package.json when run from source.
declare const EDGE_DNS_VERSION: string | undefined;

export function programVersion(): string {
  if (typeof EDGE_DNS_VERSION === 'string') return EDGE_DNS_VERSION;
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
