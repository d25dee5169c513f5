// The per-cluster change marker: one item that the sync's writer (sync/write/dynamodb-writer.ts)
// moves forward after every apply() that wrote, and that the edge reads (reader.ts readSerial()) to
// know whether anything changed since it cached a name (functions/store/serial-watch.ts).
//
// Item (SERIAL_NAME, cluster): `changes` (N) is the change counter; `serial` (N) is the SOA serial
// of the last apply, for people reading the table. The writer sets `changes` to a new value only
// on the condition that it still holds the value the writer read (or none: the first), AWS
// "Condition expressions"; the new value is larger and names the change-log item written before
// it (codec-change-log.ts). So the counter only grows, whoever writes it (two replicas of a sync,
// a restarted one): a value an edge has seen is never set again. The key starts with '.', so the
// marker is never an owner name: never answered, never listed by listOwned (owned-listing.ts).
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { CorruptItemError } from './codec-bytes.ts';
import { itemKey, type Item } from './codec.ts';

export const SERIAL_NAME = '.edge-dns/serial';

export function serialMarkerKey(cluster: string): Item {
  return itemKey(SERIAL_NAME, cluster);
}

/**
 * UpdateItem input (without TableName) that moves the counter from `from` (0: no marker yet) to
 * `to` and records `serial`; fails with ConditionalCheckFailedException when the counter moved.
 */
export function serialMarkerSet(
  cluster: string,
  from: number,
  to: number,
  serial: number,
): Omit<UpdateItemCommandInput, 'TableName'> {
  if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(to) || to <= from)
    throw new RangeError(`serial marker: cannot move ${from} to ${to}`);
  return {
    Key: serialMarkerKey(cluster),
    UpdateExpression: 'SET #c = :to, #s = :s',
    ConditionExpression: from === 0 ? 'attribute_not_exists(#c)' : '#c = :from',
    ExpressionAttributeNames: { '#c': 'changes', '#s': 'serial' },
    ExpressionAttributeValues: {
      ':to': { N: String(to) },
      ':s': { N: String(serial) },
      ...(from > 0 && { ':from': { N: String(from) } }),
    },
  };
}

/** The marker's change counter; undefined when there is no marker (a sync from before it). */
export function readSerialMarker(item: Item | undefined): number | undefined {
  if (item === undefined) return undefined;
  const text = item.changes?.N;
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new CorruptItemError(`serial marker: bad changes ${JSON.stringify(text)}`);
  return value;
}
