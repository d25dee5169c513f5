import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetryable } from './retryable.ts';

test('retryable errors', () => {
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
