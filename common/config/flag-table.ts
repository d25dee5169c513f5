import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.ts';

// A command's flags as data: one row per flag (what it sets, how its value is read, what --help
// says about it). parseFlags reads argv with node:util parseArgs built from the rows; layFlags
// sets each given flag's value at its key and remembers which flag set which key, so a schema
// error on that key names the flag (command-line.ts).

/** How a value is read. A function parses one value, or throws an Error saying what was expected
 *  and what it got (`expected a duration such as 5s, got "x"`); the flag name is added. */
export type FlagType = 'string' | 'list' | 'number' | 'boolean' | ((text: string) => unknown);

export interface FlagRow {
  /** Without the dashes: `ttl` for `--ttl`. */
  flag: string;
  /** Placeholder in --help (`SECONDS`, `HOST:PORT`); none for a boolean. */
  value?: string;
  /** The config key it sets, dotted (`kubernetes.ttl`); `a[].b` sets `b` on every element of
   *  `a`. None: the command reads the flag itself (`--config`, `--help`). */
  key?: string;
  /** string; list (comma-separated); number (whole, within `range`); boolean (present: true). */
  type: FlagType;
  /** Repeatable: each value is appended to the list at `key`. */
  repeat?: boolean;
  /** Inclusive bounds of a number. */
  range?: [number, number];
  /** The default --help shows. */
  default?: string;
  /** The CoreDNS equivalent, e.g. `kubernetes { ttl }`. */
  coredns?: string;
  /** One line for --help. */
  help: string;
}

/** Parsed values by flag name (absent flags absent; a repeatable flag's are a list), and each
 *  flag's texts as typed. */
export interface FlagValues {
  values: Record<string, unknown>;
  texts: Record<string, string[]>;
}

/** Every given flag's value; errors name the flag. */
export function parseFlags(rows: readonly FlagRow[], argv: string[], command: string): FlagValues {
  const byName = new Map(rows.map((r) => [r.flag, r]));
  const options = Object.fromEntries(
    rows.map((r) => [
      r.flag,
      {
        type: r.type === 'boolean' ? ('boolean' as const) : ('string' as const),
        multiple: !!r.repeat,
      },
    ]),
  );
  const fail = (what: string): never => {
    throw new ConfigError(
      `command line: ${what}\nusage: ${command} [FLAG]... (${command} --help lists every flag)`,
    );
  };
  const { tokens } = parseArgs({ args: argv, options, strict: false, tokens: true });
  const values: Record<string, unknown> = {};
  const texts: Record<string, string[]> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') fail(`unexpected argument "${token.value}"`);
    if (token.kind !== 'option') continue;
    const row = byName.get(token.name);
    if (row === undefined) fail(`unknown flag ${token.rawName}`);
    const r = row as FlagRow;
    let value: unknown = true;
    if (r.type === 'boolean') {
      if (token.value !== undefined) fail(`--${r.flag} takes no value, got "${token.value}"`);
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
        fail(`--${r.flag}: expected ${r.value ?? 'a value'}`);
      value = parseValue(r, token.value as string);
    }
    if (r.repeat) values[r.flag] = [...((values[r.flag] as unknown[] | undefined) ?? []), value];
    else values[r.flag] = value;
    texts[r.flag] = [...(r.repeat ? (texts[r.flag] ?? []) : []), token.value ?? ''];
  }
  return { values, texts };
}

function parseValue(row: FlagRow, text: string): unknown {
  const flag = `--${row.flag}`;
  switch (row.type) {
    case 'string':
      return text;
    case 'list':
      return commaList(text);
    case 'number': {
      const [min, max] = row.range ?? [0, Number.MAX_SAFE_INTEGER];
      const n = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!(n >= min && n <= max)) {
        const range = row.range ? ` ${min}..${max}` : '';
        throw new ConfigError(
          `command line: ${flag}: expected a whole number${range}, got "${text}"`,
        );
      }
      return n;
    }
    default:
      try {
        return (row.type as (text: string) => unknown)(text);
      } catch (error) {
        throw new ConfigError(`command line: ${flag}: ${(error as Error).message}`);
      }
  }
}

/** A comma-separated value; blanks dropped. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A key path as a schema reports it: `forward[0].to[1]`. */
export type KeyPath = (string | number)[];

export function pathText(path: readonly (string | number | symbol)[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Sets each given flag's value at its key in `config` (mutated), in table order; returns which
 * flag (as typed: `--ttl 9`) set which key path (`kubernetes.ttl`, `forward[1]`).
 */
export function layFlags(
  rows: readonly FlagRow[],
  { values, texts }: FlagValues,
  config: Record<string, any>,
): Map<string, string> {
  const origins = new Map<string, string>();
  for (const row of rows) {
    const value = values[row.flag];
    if (value === undefined || row.key === undefined) continue;
    const typed = (i: number) =>
      row.type === 'boolean' ? `--${row.flag}` : `--${row.flag} ${texts[row.flag]?.[i] ?? ''}`;
    const segments = row.key.split('.');
    for (const [parent, last, at] of targets(config, segments, [])) {
      if (row.repeat) {
        const list = Array.isArray(parent[last]) ? [...parent[last]] : [];
        (value as unknown[]).forEach((v, i) => {
          origins.set(pathText([...at, last, list.length]), typed(i));
          list.push(v);
        });
        parent[last] = list;
        origins.set(pathText([...at, last]), `--${row.flag}`);
      } else {
        parent[last] = value;
        origins.set(pathText([...at, last]), typed(0));
      }
    }
  }
  return origins;
}

/** [parent object, last key, path of parent] for a dotted key; `a[]` fans out over a's elements,
 *  intermediate objects are created (copied, so the caller's file is never mutated). */
function targets(
  node: Record<string, any>,
  segments: string[],
  at: KeyPath,
): [Record<string, any>, string, KeyPath][] {
  const [head, ...rest] = segments as [string, ...string[]];
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  if (rest.length === 0) return [[node, key, at]];
  if (each) {
    const list: unknown[] = Array.isArray(node[key]) ? [...node[key]] : [];
    node[key] = list;
    return list.flatMap((item, i) => {
      const copy = { ...(item as object) };
      list[i] = copy;
      return targets(copy, rest, [...at, key, i]);
    });
  }
  const child = typeof node[key] === 'object' && node[key] !== null ? { ...node[key] } : {};
  node[key] = child;
  return targets(child, rest, [...at, key]);
}
