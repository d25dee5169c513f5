import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptItemError, isInternalName } from './codec.ts';
import { readSerialMarker, SERIAL_NAME, serialMarkerBump, serialMarkerKey } from './codec-serial.ts';

test('the serial marker: an internal key per cluster, bumped with ADD', () => {
  assert.ok(isInternalName(SERIAL_NAME), 'never an owner name');
  assert.deepEqual(serialMarkerKey('prod'), { name: { S: '.edge-dns/serial' }, cluster: { S: 'prod' } });
  assert.deepEqual(serialMarkerBump('prod', 1700000000), {
    Key: { name: { S: '.edge-dns/serial' }, cluster: { S: 'prod' } },
    UpdateExpression: 'ADD #c :one SET #s = :s',
    ExpressionAttributeNames: { '#c': 'changes', '#s': 'serial' },
    ExpressionAttributeValues: { ':one': { N: '1' }, ':s': { N: '1700000000' } },
  });
});

test('reading the marker: the counter, undefined without one, CorruptItemError otherwise', () => {
  assert.equal(readSerialMarker(undefined), undefined);
  assert.equal(readSerialMarker({ ...serialMarkerKey('c'), changes: { N: '42' }, serial: { N: '7' } }), 42);
  for (const changes of [undefined, { S: '42' }, { N: '-1' }, { N: '1.5' }, { N: '9007199254740993' }]) {
    assert.throws(() => readSerialMarker({ ...serialMarkerKey('c'), ...(changes && { changes }) }), CorruptItemError, JSON.stringify(changes));
  }
});
