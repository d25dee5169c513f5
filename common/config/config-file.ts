import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './config-error.ts';
import type { KeyPath } from './flag-table.ts';

// A YAML or JSON config file read for `--config FILE`: its mapping, and where each key sits in it,
// so that an error on a key names the file, the line and the column.

export interface ConfigFile {
  path: string;
  data: Record<string, any>;
  /** `FILE:LINE:COL` of the deepest part of `path` the file holds (a key, or a list item), or
   *  undefined when the file holds none of it. */
  locate(path: KeyPath): { at: string; depth: number } | undefined;
}

/** The file's mapping; errors name the file (and line and column for syntax). `keys` is shown
 *  when the file is not a mapping. */
export function readConfigFile(
  path: string,
  readText: (path: string) => string,
  keys: string,
): ConfigFile {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    throw new ConfigError(`${path}: cannot read config file: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const bad = doc.errors[0];
  if (bad !== undefined) {
    const pos = bad.linePos?.[0];
    const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
    const what = bad.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${where}: not valid YAML or JSON: ${what}`);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data) || data === null)
    throw new ConfigError(`${path}: expected a mapping of keys (${keys})`);
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  return {
    path,
    data: data as Record<string, any>,
    locate(keyPath) {
      let node: unknown = doc.contents;
      let found: { at: string; depth: number } | undefined;
      for (const [depth, segment] of keyPath.entries()) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
          if (pair === undefined) break;
          const start = (pair.key as Node).range?.[0];
          if (start !== undefined) found = { at: at(start), depth: depth + 1 };
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (item === undefined) break;
          if (item.range) found = { at: at(item.range[0]), depth: depth + 1 };
          node = item;
        } else break;
      }
      return found;
    },
  };
}
