// The per-cluster change log: which owner names each value of the change counter (codec-serial.ts)
// signals, so that an edge cache revalidates only those (functions/store/serial-watch.ts).
//
// Item (`.edge-dns/log/<value>`, cluster), written by the sync's writer (sync/write/dynamodb-writer.ts)
// after the items of one apply() and before it sets the counter to <value>:
// - `names` (SS): the owner names that apply() put or deleted (a string set: each name once, no
//   empty set allowed, AWS "Data types"); absent when no name changed;
// - `all` (BOOL true) instead, when more than CHANGE_LOG_MAX_NAMES names or CHANGE_LOG_MAX_BYTES
//   bytes of names changed (an item holds at most 400 KB, AWS "Service quotas"), or when the
//   writer cannot know what changed (its first signal: an earlier writer may have stopped between
//   its items and its signal);
// - `writer` (S): the writer's id, so that it may rewrite its own item (a retry after a lost
//   answer) and nobody else's: the item is put only if absent or its own.
// The writer keeps the last CHANGE_LOG_KEEP values; an edge whose last value is further behind, or
// finds an item missing, revalidates everything instead. Keys start with '.': never an owner name.
import { CorruptItemError } from './codec-bytes.ts';
import { itemKey, type Item } from './codec.ts';

export const CHANGE_LOG_PREFIX = '.edge-dns/log/';
/** Log items the writer keeps; an edge reads a counter move of at most this many values. */
export const CHANGE_LOG_KEEP = 64;
export const CHANGE_LOG_MAX_NAMES = 2_000;
export const CHANGE_LOG_MAX_BYTES = 300_000;

const utf8 = new TextEncoder();

export function changeLogName(value: number): string {
  return `${CHANGE_LOG_PREFIX}${value}`;
}

/** The counter value of a log item's key; undefined for any other key. */
export function parseChangeLogName(key: string): number | undefined {
  if (!key.startsWith(CHANGE_LOG_PREFIX)) return undefined;
  const text = key.slice(CHANGE_LOG_PREFIX.length);
  const value = /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) ? value : undefined;
}

export function changeLogKey(cluster: string, value: number): Item {
  return itemKey(changeLogName(value), cluster);
}

/** The item for `value`; 'all' when `names` is 'all' or over the caps. */
export function changeLogItem(
  cluster: string,
  value: number,
  names: Iterable<string> | 'all',
  writer: string,
): Item {
  const item: Item = { ...changeLogKey(cluster, value), writer: { S: writer } };
  const list = names === 'all' ? undefined : [...new Set(names)];
  let bytes = 0;
  for (const name of list ?? []) bytes += utf8.encode(name).length;
  if (list === undefined || list.length > CHANGE_LOG_MAX_NAMES || bytes > CHANGE_LOG_MAX_BYTES)
    item.all = { BOOL: true };
  else if (list.length > 0) item.names = { SS: list };
  return item;
}

/** A log item: its value and names, or 'all'. */
export function readChangeLog(item: Item): { value: number; names: readonly string[] | 'all' } {
  const key = item.name?.S ?? '';
  const value = parseChangeLogName(key);
  if (value === undefined) throw new CorruptItemError(`change log: bad key ${JSON.stringify(key)}`);
  if (item.all !== undefined) {
    if (item.all.BOOL !== true) throw new CorruptItemError(`change log ${value}: bad all`);
    return { value, names: 'all' };
  }
  if (item.names === undefined) return { value, names: [] };
  const names = item.names.SS;
  if (!Array.isArray(names))
    throw new CorruptItemError(`change log ${value}: names is not a string set`);
  return { value, names };
}

/** Keys of the items after..upTo; undefined when the writer keeps no such range (a gap over CHANGE_LOG_KEEP, or not a forward move). */
export function changeLogKeys(
  cluster: string,
  after: number,
  upTo: number,
  keep = CHANGE_LOG_KEEP,
): Item[] | undefined {
  if (
    !Number.isSafeInteger(after) ||
    !Number.isSafeInteger(upTo) ||
    upTo <= after ||
    upTo - after > keep
  )
    return undefined;
  return Array.from({ length: upTo - after }, (_, i) => changeLogKey(cluster, after + 1 + i));
}

/**
 * The names changed by the values after..upTo, from their log items (any order); undefined when
 * they cannot be known name by name: an item missing (pruned, never written), or one says 'all'.
 */
export function joinChangeLogs(after: number, upTo: number, items: Item[]): string[] | undefined {
  const byValue = new Map<number, readonly string[] | 'all'>();
  for (const item of items) {
    const log = readChangeLog(item);
    byValue.set(log.value, log.names);
  }
  const names = new Set<string>();
  for (let value = after + 1; value <= upTo; value++) {
    const logged = byValue.get(value);
    if (logged === undefined || logged === 'all') return undefined;
    for (const name of logged) names.add(name);
  }
  return [...names];
}
