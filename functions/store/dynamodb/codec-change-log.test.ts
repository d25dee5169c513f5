import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptItemError, isInternalName, type Item } from './codec.ts';
import {
  CHANGE_LOG_KEEP,
  CHANGE_LOG_MAX_BYTES,
  CHANGE_LOG_MAX_NAMES,
  changeLogItem,
  changeLogKey,
  changeLogKeys,
  changeLogName,
  joinChangeLogs,
  parseChangeLogName,
  readChangeLog,
} from './codec-change-log.ts';

const log = (value: number, names: string[] | 'all') => changeLogItem('c', value, names, 'w1');

test('log item keys: internal, per cluster, the counter value in decimal', () => {
  assert.equal(changeLogName(42), '.edge-dns/log/42');
  assert.ok(isInternalName(changeLogName(1)));
  assert.deepEqual(changeLogKey('prod', 7), {
    name: { S: '.edge-dns/log/7' },
    cluster: { S: 'prod' },
  });
  const cases: [string, number | undefined][] = [
    ['.edge-dns/log/1', 1],
    ['.edge-dns/log/9007199254740991', 9007199254740991],
    ['.edge-dns/log/0', undefined],
    ['.edge-dns/log/01', undefined],
    ['.edge-dns/log/-1', undefined],
    ['.edge-dns/log/9007199254740993', undefined],
    ['.edge-dns/log/', undefined],
    ['.edge-dns/serial', undefined],
    ['web.shop.svc.cluster.local', undefined],
  ];
  for (const [key, value] of cases) assert.equal(parseChangeLogName(key), value, key);
});

test('log items: the names once each, none, or "all" (asked, or over the caps)', () => {
  assert.deepEqual(log(3, ['b.ns', 'a.ns', 'b.ns']), {
    name: { S: '.edge-dns/log/3' },
    cluster: { S: 'c' },
    writer: { S: 'w1' },
    names: { SS: ['b.ns', 'a.ns'] },
  });
  assert.deepEqual(
    log(3, []),
    { name: { S: '.edge-dns/log/3' }, cluster: { S: 'c' }, writer: { S: 'w1' } },
    'no empty string set',
  );
  assert.deepEqual(log(3, 'all').all, { BOOL: true });
  const many = Array.from({ length: CHANGE_LOG_MAX_NAMES + 1 }, (_, i) => `n${i}.ns`);
  assert.deepEqual(
    log(3, many.slice(1)).names?.SS?.length,
    CHANGE_LOG_MAX_NAMES,
    'at the cap: names',
  );
  assert.deepEqual(log(3, many).all, { BOOL: true }, 'one more: all');
  const long = Array.from({ length: 1200 }, (_, i) => `${'x'.repeat(250)}${i}`);
  assert.ok(long.join('').length > CHANGE_LOG_MAX_BYTES);
  assert.deepEqual(log(3, long).all, { BOOL: true }, 'over the byte cap: all');
  for (const item of [log(3, ['b.ns', 'a.ns']), log(3, []), log(3, 'all')]) {
    const back = readChangeLog(item);
    assert.equal(back.value, 3);
    assert.deepEqual(back.names, item.all ? 'all' : (item.names?.SS ?? []));
  }
});

test('reading a corrupt log item is CorruptItemError', () => {
  const bad: Item[] = [
    { ...changeLogKey('c', 1), name: { S: '.edge-dns/log/x' } },
    { ...changeLogKey('c', 1), all: { BOOL: false } },
    { ...changeLogKey('c', 1), all: { S: 'yes' } },
    { ...changeLogKey('c', 1), names: { S: 'a.ns' } },
    {},
  ];
  for (const item of bad)
    assert.throws(() => readChangeLog(item), CorruptItemError, JSON.stringify(item));
});

test('a counter move: the keys read, and the names joined, or undefined when not known name by name', () => {
  assert.deepEqual(changeLogKeys('c', 4, 6), [changeLogKey('c', 5), changeLogKey('c', 6)]);
  assert.equal(changeLogKeys('c', 4, 4 + CHANGE_LOG_KEEP)?.length, CHANGE_LOG_KEEP);
  for (const [after, upTo] of [
    [4, 4 + CHANGE_LOG_KEEP + 1],
    [4, 4],
    [4, 3],
    [0.5, 2],
  ])
    assert.equal(changeLogKeys('c', after!, upTo!), undefined, `${after}..${upTo}`);
  const cases: { what: string; items: Item[]; names: string[] | undefined }[] = [
    { what: 'one value', items: [log(5, ['a.ns'])], names: ['a.ns'] },
    {
      what: 'several, in any order, names once',
      items: [log(7, ['c.ns', 'a.ns']), log(5, ['a.ns']), log(6, [])],
      names: ['c.ns', 'a.ns'],
    },
    { what: 'one missing', items: [log(5, ['a.ns']), log(7, ['b.ns'])], names: undefined },
    {
      what: 'one says all',
      items: [log(5, ['a.ns']), log(6, 'all'), log(7, ['b.ns'])],
      names: undefined,
    },
    { what: 'none', items: [], names: undefined },
  ];
  for (const { what, items, names } of cases) {
    const upTo = what === 'one value' ? 5 : 7;
    const joined = joinChangeLogs(4, upTo, items);
    assert.deepEqual(joined && new Set(joined), names && new Set(names), what);
  }
});
