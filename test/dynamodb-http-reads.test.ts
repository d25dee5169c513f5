// The edge's DynamoDB reads without the SDK client (functions/store/dynamodb/http-reads.ts):
// SigV4-signed fetches on the JSON protocol against dynalite read the same items as the SDK client
// (binary attributes included); throttling and 5xx are retried as the SDK's standard mode retries
// them, other errors are not, and an upstream that never answers fails at the attempt deadline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { httpReads, type HttpReadsOptions } from '../functions/store/dynamodb/http-reads.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import type { Item } from '../functions/store/dynamodb/codec.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import {
  startDynamoDbThrottleProxy,
  type DynamoDbThrottleProxy,
} from './support/dynamodb-throttle-proxy.ts';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'test' };
const reads = (endpoint: string, o: Partial<HttpReadsOptions> = {}) =>
  httpReads({
    region: 'us-east-1',
    endpoint,
    credentials: CREDENTIALS,
    maxAttempts: 2,
    attemptTimeoutMs: 2000,
    ...o,
  });

/** Items as stored: keys `name` + `cluster`, a binary body, sets and maps. */
const ITEMS: Item[] = [
  {
    name: { S: 'a.cluster.local' },
    cluster: { S: 'c' },
    body: { B: Uint8Array.of(0, 1, 2, 255) },
    serial: { N: '42' },
  },
  {
    name: { S: 'b.cluster.local' },
    cluster: { S: 'c' },
    parts: { BS: [Uint8Array.of(9), Uint8Array.of(8, 7)] },
    meta: { M: { on: { BOOL: true }, list: { L: [{ S: 'x' }, { NULL: true }] } } },
  },
];
const key = (name: string): Item => ({ name: { S: name }, cluster: { S: 'c' } });

let db: Dynalite;
let proxy: DynamoDbThrottleProxy;
before(async () => {
  db = await startDynalite();
  for (const Item of ITEMS) await db.client.send(new PutItemCommand({ TableName: db.table, Item }));
  proxy = await startDynamoDbThrottleProxy(db.endpoint);
});
after(async () => {
  await proxy?.close();
  await db?.close();
});

test('GetItem and BatchGetItem read what the SDK client reads', async () => {
  const http = reads(db.endpoint);
  const sdk = sdkReads(db.client);
  for (const name of ['a.cluster.local', 'b.cluster.local', 'absent.cluster.local']) {
    const input = { TableName: db.table, Key: key(name), ConsistentRead: true };
    assert.deepEqual(await http.getItem(input), await sdk.getItem(input), name);
  }
  const batch = {
    RequestItems: { [db.table]: { Keys: ['a.cluster.local', 'b.cluster.local'].map(key) } },
  };
  const got = await http.batchGetItem(batch);
  const byName = (items: Item[] = []) =>
    [...items].sort((x, y) => x.name!.S!.localeCompare(y.name!.S!));
  assert.deepEqual(byName(got.Responses?.[db.table]), ITEMS);
  assert.deepEqual(got.UnprocessedKeys?.[db.table]?.Keys ?? [], []);
});

test('throttling is retried up to maxAttempts, then thrown by name; a missing table is not retried', async () => {
  const http = reads(proxy.endpoint);
  const input = { TableName: db.table, Key: key('a.cluster.local') };
  proxy.calls.length = 0;
  proxy.throttle('GetItem', 1);
  assert.deepEqual((await http.getItem(input)).Item, ITEMS[0]);
  assert.deepEqual(proxy.calls, ['GetItem', 'GetItem'], 'one throttled, one retried');
  proxy.calls.length = 0;
  proxy.throttle('GetItem', 2);
  await assert.rejects(http.getItem(input), { name: 'ProvisionedThroughputExceededException' });
  assert.deepEqual(proxy.calls, ['GetItem', 'GetItem'], 'maxAttempts 2: no third try');
  proxy.calls.length = 0;
  await assert.rejects(http.getItem({ ...input, TableName: 'no-such-table' }), {
    name: 'ResourceNotFoundException',
  });
  assert.deepEqual(proxy.calls, ['GetItem'], 'a client error is not retried');
});

test('a 5xx is retried; an upstream that never answers fails at each attempt deadline', async () => {
  let requests = 0;
  const silent: Set<import('node:http').ServerResponse> = new Set();
  const server = createServer((req, res) => {
    requests++;
    if (req.url === '/silent') return void silent.add(res); // never answers
    res.writeHead(requests === 1 ? 503 : 200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(requests === 1 ? '{"__type":"ServiceUnavailable"}' : '{"Item":{"name":{"S":"x"}}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const input = { TableName: 't', Key: key('x') };
    assert.deepEqual(await reads(base).getItem(input), { Item: { name: { S: 'x' } } });
    assert.equal(requests, 2, 'the 503 was retried once');
    requests = 0;
    await assert.rejects(reads(`${base}/silent`, { attemptTimeoutMs: 100 }).getItem(input), {
      name: 'TimeoutError',
      message: 'no answer within 100 ms',
    });
    assert.equal(requests, 2, 'both attempts timed out');
  } finally {
    for (const res of silent) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('a read has a deadline of its own: a stalled attempt is cut to it, and no retry starts past it', async () => {
  proxy.behave('stall');
  proxy.calls.length = 0;
  try {
    const http = reads(proxy.endpoint, { attemptTimeoutMs: 5000, deadlineMs: 200, maxAttempts: 3 });
    await assert.rejects(http.getItem({ TableName: db.table, Key: key('a.cluster.local') }), {
      name: 'TimeoutError',
      message: /^no answer within (1\d\d|200) ms$/,
    });
    assert.deepEqual(proxy.calls, ['GetItem'], 'one attempt: the deadline left no time for more');
  } finally {
    proxy.behave('pass');
  }
});
