// NameNode <-> DynamoDB items, shared by the reader (functions/store/dynamodb/reader.ts) and the
// sync's writer (sync/write/dynamodb-writer.ts). SDK types only, no node: modules (Workers).
//
// Table (docs/architecture.md §5.3): partition key `name` = canonical owner name, sort
// key `cluster` = the owning cluster's id. GSI `by-cluster` (cluster, name) projects `hash` and
// `parts`, so the sync lists what its cluster owns, and which items changed, without reading them.
//
// Item-size strategy (items are capped at 400 KB, AWS "Service quotas: item size"):
// 1. Compact body (codec-body.ts): binary rdata, IPs as bytes, names once per node and relative
//    to the owner. A headless Service of 5,000 endpoints and 3 named ports keeps 5,000 A and
//    15,000 SRV at its name: 170 KB, one item (JSON would be 1.4 MB); each _port._tcp name 110 KB.
// 2. Parts, when the body is still over PART_BYTES (350 KB): the head item (name, cluster) holds
//    the first 350 KB and says how many parts follow and the total size; part i is the item
//    (`.part/<hash>/<i>/<name>`, cluster). One GetItem answers every lookup whose node fits one
//    item; only a larger node needs a BatchGetItem for its parts. Nothing is capped or dropped.
//    Parts are keyed by the content hash (a generation): the writer puts new parts, then the
//    head, then deletes the old generation, so a reader never joins parts of two versions.
// Keys starting with '.' are internal (parts, the fence and serial markers): canonical owner names
// never do. The serial marker's layout is in codec-serial.ts.
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { NameNode } from '../../core/record.ts';
import { decodeBody, encodeBody } from './codec-body.ts';
import { CorruptItemError } from './codec-bytes.ts';
import { hashBytes } from './codec-hash.ts';
import { isRecordItemName } from './codec-record-items.ts';

export { CorruptItemError };

export type Item = Record<string, AttributeValue>;

export const INDEX_BY_CLUSTER = 'by-cluster';
/** Body bytes per item: 400 KB less room for keys and attributes, with margin. */
export const PART_BYTES = 350_000;
/** The per-cluster fencing marker (sync/write/dynamodb-writer.ts). */
export const FENCE_NAME = '.edge-dns/fence';
const PART_PREFIX = '.part/';
const MAX_NAME_BYTES = 1024;
const utf8 = new TextEncoder();

/** CreateTable input: tests, benchmarks and serverless.yml create the same table. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'name', AttributeType: 'S' },
      { AttributeName: 'cluster', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'name', KeyType: 'HASH' },
      { AttributeName: 'cluster', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: INDEX_BY_CLUSTER,
        KeySchema: [
          { AttributeName: 'cluster', KeyType: 'HASH' },
          { AttributeName: 'name', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['hash', 'parts'] },
      },
    ],
  };
}

/** The content hash the writer stores and listOwned() returns, for a desired node. */
export function contentHash(node: NameNode): string {
  return hashBytes(encodeBody(node));
}

export function itemKey(name: string, cluster: string): Item {
  return { name: { S: name }, cluster: { S: cluster } };
}

export function partName(owner: string, hash: string, index: number): string {
  return `${PART_PREFIX}${hash}/${index}/${owner}`;
}

export function parsePartName(
  key: string,
): { owner: string; hash: string; index: number } | undefined {
  const m = /^\.part\/([0-9a-f]{16})\/([1-9][0-9]*)\/(.+)$/s.exec(key);
  return m ? { hash: m[1]!, index: Number(m[2]), owner: m[3]! } : undefined;
}

/** Parts and markers: never a DNS owner name, never answered. */
export function isInternalName(key: string): boolean {
  return key.startsWith('.');
}

export interface EncodedNode {
  name: string;
  hash: string;
  head: Item;
  /** Part items 1..n, empty when the head holds the whole body. */
  parts: Item[];
}

/** Throws (a plain Error naming the problem) for a node that cannot be stored. */
export function encodeNode(
  node: NameNode,
  cluster: string,
  serial: number,
  partBytes = PART_BYTES,
): EncodedNode {
  const name = node.name;
  // Internal keys are not owners, except record items (codec-record-items.ts, docs/architecture.md §5.6).
  if (
    typeof name !== 'string' ||
    name === '' ||
    (isInternalName(name) && !isRecordItemName(name))
  ) {
    throw new Error(`not a storable owner name: ${JSON.stringify(node.name)}`);
  }
  // A partition key holds at most 2048 bytes (AWS "Service quotas"); DNS names hold at most 255.
  if (utf8.encode(node.name).length > MAX_NAME_BYTES)
    throw new Error(`owner name longer than ${MAX_NAME_BYTES} bytes: ${node.name.slice(0, 40)}...`);
  if (!Number.isSafeInteger(serial) || serial < 0)
    throw new Error(`serial must be a non-negative integer, got ${serial}`);
  const body = encodeBody(node);
  const hash = hashBytes(body);
  const n = Math.max(0, Math.ceil(body.length / partBytes) - 1);
  const head: Item = {
    ...itemKey(node.name, cluster),
    hash: { S: hash },
    serial: { N: String(serial) },
    body: { B: body.subarray(0, partBytes) },
  };
  if (n > 0) Object.assign(head, { parts: { N: String(n) }, size: { N: String(body.length) } });
  const parts = Array.from({ length: n }, (_, i) => ({
    ...itemKey(partName(node.name, hash, i + 1), cluster),
    body: { B: body.subarray((i + 1) * partBytes, (i + 2) * partBytes) },
  }));
  return { name: node.name, hash, head, parts };
}

export interface Head {
  name: string;
  cluster: string;
  hash: string;
  serial: number;
  /** Number of part items after the head. */
  parts: number;
  /** Total body bytes over head and parts. */
  size: number;
  body: Uint8Array;
}

export function readHead(item: Item): Head {
  const body = item.body?.B;
  const name = item.name?.S;
  const cluster = item.cluster?.S;
  const hash = item.hash?.S;
  if (!body || name === undefined || cluster === undefined || hash === undefined) {
    throw new CorruptItemError(`item ${JSON.stringify(name)} lacks name, cluster, hash or body`);
  }
  const num = (key: string, fallback: number): number => {
    const text = item[key]?.N;
    if (text === undefined) return fallback;
    const v = Number(text);
    if (!Number.isSafeInteger(v) || v < 0)
      throw new CorruptItemError(`item ${name}: bad ${key} ${text}`);
    return v;
  };
  return {
    name,
    cluster,
    hash,
    serial: num('serial', 0),
    parts: num('parts', 0),
    size: num('size', body.length),
    body,
  };
}

/** Keys of the parts a head says follow it. */
export function partKeys(head: Head): Item[] {
  return Array.from({ length: head.parts }, (_, i) =>
    itemKey(partName(head.name, head.hash, i + 1), head.cluster),
  );
}

/** The node from its head and, in order, its parts' bodies; checks size and hash when in parts. */
export function decodeNode(head: Head, parts: Uint8Array[] = []): NameNode {
  if (parts.length !== head.parts)
    throw new CorruptItemError(`${head.name}: ${parts.length} of ${head.parts} parts`);
  if (head.parts === 0) return decodeBody(head.name, head.body);
  const body = new Uint8Array(head.size);
  let at = 0;
  for (const chunk of [head.body, ...parts]) {
    if (at + chunk.length > body.length)
      throw new CorruptItemError(`${head.name}: parts exceed ${head.size} bytes`);
    body.set(chunk, at);
    at += chunk.length;
  }
  if (at !== head.size)
    throw new CorruptItemError(`${head.name}: parts hold ${at} of ${head.size} bytes`);
  if (hashBytes(body) !== head.hash)
    throw new CorruptItemError(`${head.name}: parts do not match hash ${head.hash}`);
  return decodeBody(head.name, body);
}

/** Item size as DynamoDB counts it (AWS "Item sizes and formats"): names + values, in bytes. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [key, value] of Object.entries(item)) {
    size += utf8.encode(key).length;
    if (value.S !== undefined) size += utf8.encode(value.S).length;
    else if (value.B !== undefined) size += value.B.length;
    else if (value.N !== undefined)
      size += Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
    else throw new Error(`itemSize: unsupported attribute type in ${key}`);
  }
  return size;
}
