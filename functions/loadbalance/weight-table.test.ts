import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeightTable } from './weight-table.ts';

test('the last good weights stay when a reload is bad', () => {
  const table = new WeightTable('w.txt');
  assert.equal(table.weights.size, 0);
  assert.equal(table.update('a.test\n10.0.0.1 5'), true);
  assert.equal(table.update('a.test\n10.0.0.1 5'), false);
  assert.throws(() => table.update('a.test\n10.0.0.1 500'), {
    message: "w.txt:2: expected a weight from 1 to 255, got '500'",
  });
  assert.equal(table.weights.get('a.test')?.get('10.0.0.1'), 5);
  assert.equal(table.update('a.test\n10.0.0.1 6'), true);
  assert.equal(table.weights.get('a.test')?.get('10.0.0.1'), 6);
});
