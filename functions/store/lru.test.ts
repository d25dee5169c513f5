import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from './lru.ts';

test('evicts the least recently used; get refreshes, peek does not; replacing is no eviction', () => {
  const evicted: string[] = [];
  const lru = new Lru<string, number>(3, (k, v) => evicted.push(`${k}=${v}`));
  lru.set('a', 1);
  lru.set('b', 2);
  lru.set('c', 3);
  assert.equal(lru.get('a'), 1); // a is now the most recent: b is the oldest
  assert.equal(lru.peek('b'), 2); // peek leaves b the oldest
  lru.set('c', 30); // replace: no eviction, c most recent
  lru.set('d', 4); // evicts b
  assert.deepEqual(evicted, ['b=2']);
  lru.set('e', 5); // evicts a (c and d were used later)
  assert.deepEqual(evicted, ['b=2', 'a=1']);
  assert.deepEqual(
    [lru.get('a'), lru.get('c'), lru.get('d'), lru.get('e'), lru.size],
    [undefined, 30, 4, 5, 3],
  );
  assert.equal(lru.delete('d'), true);
  assert.equal(lru.size, 2);
  assert.deepEqual(evicted.length, 2, 'delete is not an eviction');
});

test('a capacity below 1 is refused', () => {
  for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => new Lru(bad), /capacity of at least 1/);
});
