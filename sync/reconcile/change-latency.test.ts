// Change-to-published latency: when a change counts as published, over rounds that write, fail
// and retry, with times given by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeLatency } from './change-latency.ts';

/** A tracker and what it observed. */
function tracker(): { latency: ChangeLatency; seen: number[]; ids: string[] } {
  const seen: number[] = [];
  const ids: string[] = [];
  const observe = (ms: number, id: string) => (seen.push(ms), ids.push(id));
  return { latency: new ChangeLatency(observe), seen, ids };
}

const builtBy =
  (names: Record<string, string[]>) =>
  (unit: string): string[] =>
    names[unit] ?? [];

test('every change of a round without failures is published at its end, from its first event', () => {
  const { latency, seen, ids } = tracker();
  latency.changed('Service/shop/web', 100, ['svc:shop/web']);
  latency.changed('Service/shop/web', 130, ['svc:shop/web']); // again before the round: 100 stays
  latency.changed('Namespace/shop', 120, ['ns:shop', 'svc:shop/web']);
  const taken = latency.take();
  latency.changed('Service/shop/db', 140, ['svc:shop/db']); // after the round started: next round
  latency.settle(taken, builtBy({}), new Set(), 150);
  assert.deepEqual(seen, [50, 30]);
  latency.settle(latency.take(), builtBy({}), new Set(), 200);
  assert.deepEqual(seen, [50, 30, 60]);
  assert.deepEqual(ids, ['Service/shop/web', 'Namespace/shop', 'Service/shop/db']);
});

test('an event that dirties no unit is not a change; one during a full round counts', () => {
  const { latency, seen } = tracker();
  latency.changed('Pod/shop/p', 10, []);
  latency.changed('Service/shop/web', 20, undefined);
  latency.settle(latency.take(), builtBy({}), new Set(), 25);
  assert.deepEqual(seen, [5]);
});

test('a change whose names failed waits for the rounds that retry them', () => {
  const { latency, seen } = tracker();
  const names = builtBy({
    'svc:shop/web': ['web.shop.svc.cluster.local', '_http._tcp.web.shop.svc.cluster.local'],
    'svc:shop/db': ['db.shop.svc.cluster.local'],
  });
  latency.changed('Service/shop/web', 0, ['svc:shop/web']);
  latency.changed('Service/shop/db', 5, ['svc:shop/db']);
  // Round 1: one web name fails; db is published.
  latency.settle(latency.take(), names, new Set(['web.shop.svc.cluster.local']), 10);
  assert.deepEqual(seen, [5]);
  // Round 2 retries it and fails again; a new change in it is published (its names were fine).
  latency.changed('Service/shop/db', 12, ['svc:shop/db']);
  latency.settle(latency.take(), names, new Set(['web.shop.svc.cluster.local']), 20);
  assert.deepEqual(seen, [5, 8]);
  // Round 3 writes it.
  latency.settle(latency.take(), names, new Set(), 45);
  assert.deepEqual(seen, [5, 8, 45]);
});

test('changes of a full round that failed wait for every name that failed in it', () => {
  const { latency, seen, ids } = tracker();
  latency.changed('Service/shop/web', 0, undefined);
  latency.changed('Namespace/shop', 2, undefined);
  latency.settle(latency.take(), builtBy({}), new Set(['a.cluster.local', 'b.cluster.local']), 10);
  latency.settle(latency.take(), builtBy({}), new Set(['b.cluster.local']), 20);
  assert.deepEqual(seen, []);
  latency.settle(latency.take(), builtBy({}), new Set(), 30);
  assert.deepEqual(seen, [30, 28]);
  assert.deepEqual(ids, ['Service/shop/web', 'Namespace/shop']);
});
