// Container only: imports node:fs. The Corefile parser's file access (CorefileIo) on the local
// file system, for `edge-dns --corefile FILE`; nothing the edge bundles imports this file.
import { readdirSync, readFileSync } from 'node:fs';
import type { CorefileIo } from './corefile.ts';
import { globMatcher } from './glob-pattern.ts';
import { splitLast } from './import-path.ts';

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

export const nodeCorefileIo: CorefileIo = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if (code(e) === 'ENOENT') return undefined;
      throw e;
    }
  },
  glob(pattern) {
    const [dir, last] = splitLast(pattern);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return [];
      throw e;
    }
    const matches = globMatcher(last);
    const prefix = dir === '.' ? '' : dir === '/' ? '/' : `${dir}/`;
    return names
      .filter(matches)
      .map((name) => `${prefix}${name}`)
      .sort();
  },
};
