// CorefileIo over files held in memory, path -> text: for tests, and wherever a Corefile and its
// imports arrive as strings (a ConfigMap's keys). Globs match as node-io.ts matches them.
import type { CorefileIo } from './corefile.ts';
import { globMatcher } from './glob-pattern.ts';
import { splitLast } from './import-path.ts';

export function memoryCorefileIo(files: Readonly<Record<string, string>>): CorefileIo {
  const paths = Object.keys(files);
  return {
    read: (path) => (Object.hasOwn(files, path) ? files[path] : undefined),
    glob(pattern) {
      const [dir, last] = splitLast(pattern);
      const matches = globMatcher(last);
      return paths
        .filter((p) => {
          const [d, name] = splitLast(p);
          return d === dir && matches(name);
        })
        .sort();
    },
  };
}
