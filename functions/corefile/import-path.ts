// Where an import points: a relative path is relative to the directory of the file holding the
// import, as CoreDNS resolves it (not the working directory). Paths are '/'-separated; '.' and
// '..' are folded so that each file has one spelling in errors, in `files` and in cycle checks.

/** `pattern` as seen from `fromFile`. */
export function importPath(fromFile: string, pattern: string): string {
  if (pattern.startsWith('/')) return normalize(pattern);
  const slash = fromFile.lastIndexOf('/');
  return normalize(slash < 0 ? pattern : `${fromFile.slice(0, slash + 1)}${pattern}`);
}

function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** The directory part and the last element of a path. */
export function splitLast(path: string): [dir: string, last: string] {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return ['.', path];
  return [slash === 0 ? '/' : path.slice(0, slash), path.slice(slash + 1)];
}
