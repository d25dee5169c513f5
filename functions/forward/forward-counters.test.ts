// Several forwarders' counters as one: numbers summed at every depth, pools kept apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergedCounters } from './forward-counters.ts';
import type { ForwardCounters } from './forward-zones.ts';

const counters = (hits: number, positive: number, pool: string): ForwardCounters =>
  ({
    cache: { hits, evictions: { positive: hits } },
    cacheSizes: { positive, negative: 1 },
    pools: { [pool]: { up: 1 } },
  }) as unknown as ForwardCounters;

test('one forwarder: its own counters', () => {
  const one = counters(3, 4, '.');
  assert.equal(mergedCounters([one]), one);
  assert.equal(mergedCounters([]), undefined);
});

test('two blocks: sums, nested sums, and both `.` pools', () => {
  const merged = mergedCounters([counters(3, 4, '.'), counters(5, 6, '.')]) as unknown;
  assert.deepEqual(merged, {
    cache: { hits: 8, evictions: { positive: 8 } },
    cacheSizes: { positive: 10, negative: 2 },
    pools: { '.': { up: 1 }, '. #2': { up: 1 } },
  });
});
