import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FENCE_NAME, partName, type Item } from '../../functions/store/dynamodb/codec.ts';
import { changeLogItem } from '../../functions/store/dynamodb/codec-change-log.ts';
import { SERIAL_NAME } from '../../functions/store/dynamodb/codec-serial.ts';
import { classifyOwned } from './owned-listing.ts';

const H1 = '1111111111111111';
const H2 = '2222222222222222';
const head = (name: string, hash: string, parts = 0): Item => ({
  name: { S: name },
  cluster: { S: 'c' },
  hash: { S: hash },
  ...(parts ? { parts: { N: String(parts) } } : {}),
});
const part = (owner: string, hash: string, i: number): Item => ({
  name: { S: partName(owner, hash, i) },
  cluster: { S: 'c' },
});

test('owned listing: whole nodes give their hash; anything else gives "", markers are skipped', () => {
  const cases: { what: string; items: Item[]; hashes: [string, string][] }[] = [
    { what: 'a single item', items: [head('a', H1)], hashes: [['a', H1]] },
    {
      what: 'a head and all its parts',
      items: [head('a', H1, 2), part('a', H1, 1), part('a', H1, 2)],
      hashes: [['a', H1]],
    },
    { what: 'a part missing', items: [head('a', H1, 2), part('a', H1, 2)], hashes: [['a', '']] },
    {
      what: 'an old generation left',
      items: [head('a', H1, 1), part('a', H1, 1), part('a', H2, 1)],
      hashes: [['a', '']],
    },
    { what: 'parts without a head', items: [part('a', H2, 1)], hashes: [['a', '']] },
    {
      what: 'the fence marker',
      items: [{ name: { S: FENCE_NAME }, cluster: { S: 'c' } }, head('b', H2)],
      hashes: [['b', H2]],
    },
    {
      what: 'the serial marker',
      items: [
        { name: { S: SERIAL_NAME }, cluster: { S: 'c' }, changes: { N: '4' } },
        head('b', H2),
      ],
      hashes: [['b', H2]],
    },
    {
      what: 'change-log items',
      items: [changeLogItem('c', 3, ['b'], 'w'), head('b', H2), changeLogItem('c', 4, 'all', 'w')],
      hashes: [['b', H2]],
    },
  ];
  for (const { what, items, hashes } of cases)
    assert.deepEqual(classifyOwned(items).hashes, new Map(hashes), what);
  const listing = classifyOwned([head('a', H1, 1), part('a', H1, 1), part('a', H2, 1)]);
  assert.deepEqual(
    listing.parts,
    new Map([['a', new Set([partName('a', H1, 1), partName('a', H2, 1)])]]),
  );
  assert.deepEqual(
    classifyOwned([
      changeLogItem('c', 3, ['b'], 'w'),
      head('b', H2),
      changeLogItem('c', 12, 'all', 'w'),
    ]).logs,
    [3, 12],
    'log values, for pruning',
  );
  assert.deepEqual(listing.logs, []);
});
