import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffMs, retryProblems } from './backoff.ts';

const policy = { attempts: 5, baseMs: 100, maxMs: 1_000 };

test('backoff: full jitter under a cap that doubles up to maxMs', () => {
  const table: [number, number, number][] = [
    // retry, random, expected ms
    [0, 0.999, 99],
    [1, 0.5, 100],
    [3, 0.999, 799],
    [4, 0.999, 999],
    [20, 0.5, 500],
    [2, 0, 0],
  ];
  for (const [retry, r, ms] of table)
    assert.equal(
      backoffMs(policy, retry, () => r),
      ms,
      `retry ${retry}`,
    );
});

test('backoff: bad policies are named', () => {
  assert.deepEqual(retryProblems(policy), []);
  assert.equal(retryProblems({ attempts: 0, baseMs: -1, maxMs: -2 }).length, 3);
});

test('backoff: reconnect delays double up to the cap and start over after reset', () => {
  const b = new Backoff({ initial: 200, max: 1000 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 200);
});
