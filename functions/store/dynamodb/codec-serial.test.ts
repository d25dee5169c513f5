import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptItemError, isInternalName } from './codec.ts';
import { readSerialMarker, SERIAL_NAME, serialMarkerSet, serialMarkerKey } from './codec-serial.ts';

test('the serial marker: an internal key per cluster, moved forward on a condition', () => {
  assert.ok(isInternalName(SERIAL_NAME), 'never an owner name');
  assert.deepEqual(serialMarkerKey('prod'), {
    name: { S: '.edge-dns/serial' },
    cluster: { S: 'prod' },
  });
  assert.deepEqual(
    serialMarkerSet('prod', 0, 1, 1700000000),
    {
      Key: { name: { S: '.edge-dns/serial' }, cluster: { S: 'prod' } },
      UpdateExpression: 'SET #c = :to, #s = :s',
      ConditionExpression: 'attribute_not_exists(#c)',
      ExpressionAttributeNames: { '#c': 'changes', '#s': 'serial' },
      ExpressionAttributeValues: { ':to': { N: '1' }, ':s': { N: '1700000000' } },
    },
    'the first value: only while there is none',
  );
  const next = serialMarkerSet('prod', 41, 43, 7);
  assert.equal(next.ConditionExpression, '#c = :from');
  assert.deepEqual(next.ExpressionAttributeValues, {
    ':to': { N: '43' },
    ':s': { N: '7' },
    ':from': { N: '41' },
  });
  for (const [from, to] of [
    [5, 5],
    [5, 4],
    [-1, 1],
    [0, 1.5],
  ] as const)
    assert.throws(() => serialMarkerSet('prod', from, to, 1), RangeError, `${from} -> ${to}`);
});

test('reading the marker: the counter, undefined without one, CorruptItemError otherwise', () => {
  assert.equal(readSerialMarker(undefined), undefined);
  assert.equal(
    readSerialMarker({ ...serialMarkerKey('c'), changes: { N: '42' }, serial: { N: '7' } }),
    42,
  );
  for (const changes of [
    undefined,
    { S: '42' },
    { N: '-1' },
    { N: '1.5' },
    { N: '9007199254740993' },
  ]) {
    assert.throws(
      () => readSerialMarker({ ...serialMarkerKey('c'), ...(changes && { changes }) }),
      CorruptItemError,
      JSON.stringify(changes),
    );
  }
});
