// Import globs as CoreDNS allows them: at most one '*' and one '?', no '[...]' classes (CoreDNS
// refuses more, so that a pattern cannot take long to match), and here, wildcards only in the
// last path element: `/etc/coredns/custom/*.server`. '*' matches any run of characters, leading
// dots included, as Go's filepath.Match does; '?' matches one character.
import { splitLast } from './import-path.ts';

/** Holds a wildcard: a glob matching nothing is fine, a plain path missing is an error. */
export const isGlob = (path: string): boolean => /[*?[\]]/.test(path);

/** Why CoreDNS (or this reader) would refuse the glob, if it would. */
export function globProblem(path: string): string | undefined {
  const [dir, last] = splitLast(path);
  if (/[[\]]/.test(path)) return `'[...]' is not supported in an import glob: ${path}`;
  if (isGlob(dir))
    return `an import glob may hold wildcards in its last path element only: ${path}`;
  if (last.split('*').length > 2 || last.split('?').length > 2)
    return `an import glob may hold one '*' and one '?': ${path}`;
  return undefined;
}

/** Whether a file name matches the last element of a glob. */
export function globMatcher(last: string): (name: string) => boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const source = [...last]
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : escape(c)))
    .join('');
  const pattern = new RegExp(`^${source}$`, 'u');
  return (name) => pattern.test(name);
}
