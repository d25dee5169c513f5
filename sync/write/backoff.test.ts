import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, isRetryable, retryProblems } from './backoff.ts';

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

test('backoff: retryable errors', () => {
  const err = (name: string, status?: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  assert.ok(isRetryable(err('ThrottlingException', 400)));
  assert.ok(isRetryable(err('ProvisionedThroughputExceededException', 400)));
  assert.ok(isRetryable(err('InternalServerError', 500)));
  assert.ok(
    isRetryable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
  );
  assert.ok(!isRetryable(err('ValidationException', 400)));
  assert.ok(!isRetryable(err('ResourceNotFoundException', 400)));
  assert.ok(!isRetryable('a string'));
});

test('backoff: bad policies are named', () => {
  assert.deepEqual(retryProblems(policy), []);
  assert.equal(retryProblems({ attempts: 0, baseMs: -1, maxMs: -2 }).length, 3);
});
