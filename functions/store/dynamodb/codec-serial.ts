// The per-cluster change marker: one item that the sync's writer (sync/write/dynamodb-writer.ts)
// bumps after every apply() that wrote, and that the edge reads (reader.ts readSerial()) to know
// whether anything changed since it cached a name (functions/store/serial-watch.ts).
//
// Item (SERIAL_NAME, cluster): `changes` (N) is an atomic counter (AWS "Atomic counters":
// UpdateItem ADD), so it increases with every bump whoever writes it: two replicas of a sync, or a
// restarted one, can never write a value an edge has already seen. `serial` (N) is the SOA serial
// of the last apply, for people reading the table. The key starts with '.', so the marker is never
// an owner name: never answered, never listed by listOwned (owned-listing.ts skips it).
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { CorruptItemError } from './codec-bytes.ts';
import { itemKey, type Item } from './codec.ts';

export const SERIAL_NAME = '.edge-dns/serial';

export function serialMarkerKey(cluster: string): Item {
  return itemKey(SERIAL_NAME, cluster);
}

/** UpdateItem input (without TableName) that bumps the marker by one and records `serial`. */
export function serialMarkerBump(cluster: string, serial: number): Omit<UpdateItemCommandInput, 'TableName'> {
  return {
    Key: serialMarkerKey(cluster),
    UpdateExpression: 'ADD #c :one SET #s = :s',
    ExpressionAttributeNames: { '#c': 'changes', '#s': 'serial' },
    ExpressionAttributeValues: { ':one': { N: '1' }, ':s': { N: String(serial) } },
  };
}

/** The marker's change counter; undefined when there is no marker (a sync from before it). */
export function readSerialMarker(item: Item | undefined): number | undefined {
  if (item === undefined) return undefined;
  const text = item.changes?.N;
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new CorruptItemError(`serial marker: bad changes ${JSON.stringify(text)}`);
  return value;
}
