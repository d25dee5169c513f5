import { dirname, isAbsolute, join } from 'node:path';
import type { ConfigFile } from './config-file.ts';
import type { KeyPath } from './flag-table.ts';

// Keys whose values are file paths (`snapshots[]`, `doh.cert`): a path read from a config file is
// relative to that file's directory, as kubeconfig's and CoreDNS's Corefile paths are; a path
// from a flag stays relative to the working directory.

/** Calls `f` on each string at the `pathKeys` (`a[]` is every element of a) with its key path;
 *  the value is replaced by what `f` returns. */
export function visitPathKeys(
  data: Record<string, any>,
  pathKeys: readonly string[],
  f: (value: string, path: KeyPath) => string,
): void {
  for (const key of pathKeys) visit(data, key.split('.'), [], f);
}

function visit(
  node: unknown,
  segments: string[],
  at: KeyPath,
  f: (value: string, path: KeyPath) => string,
): void {
  if (typeof node !== 'object' || node === null) return;
  const [head, ...rest] = segments as [string, ...string[]];
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  const holder = node as Record<string, unknown>;
  const value = holder[key];
  if (each) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      if (rest.length > 0) visit(item, rest, [...at, key, i], f);
      else if (typeof item === 'string') value[i] = f(item, [...at, key, i]);
    });
  } else if (rest.length > 0) visit(value, rest, [...at, key], f);
  else if (typeof value === 'string') holder[key] = f(value, [...at, key]);
}

/** The file's data (a copy) with its relative paths joined to the file's directory. */
export function resolvePaths(file: ConfigFile, pathKeys: readonly string[]): Record<string, any> {
  const data = structuredClone(file.data);
  const dir = dirname(file.path);
  visitPathKeys(data, pathKeys, (v) => (v !== '' && !isAbsolute(v) ? join(dir, v) : v));
  return data;
}
