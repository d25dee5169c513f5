// The DynamoDB record store through the real AWS SDK against dynalite: codec, reader and the sync's
// writer together (docs/architecture.md §5.3, §5.4).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  ThrottlingException,
  UpdateItemCommand,
  type BatchWriteItemCommandOutput,
  type ScanCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { NameNode } from '../functions/core/record.ts';
import { StoreUnavailableError } from '../functions/core/store.ts';
import {
  contentHash,
  encodeNode,
  FENCE_NAME,
  itemSize,
  PART_BYTES,
} from '../functions/store/dynamodb/codec.ts';
import { parseChangeLogName } from '../functions/store/dynamodb/codec-change-log.ts';
import { SERIAL_NAME, serialMarkerKey } from '../functions/store/dynamodb/codec-serial.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { parseSnapshot } from '../sync/snapshot/parse.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter, type DynamoDbWriterOptions } from '../sync/write/dynamodb-writer.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { nodesFromText } from './support/records.ts';

type Client = Pick<DynamoDBClient, 'send'>;
/** Any SDK command (their generic types do not unify). */
type Command = object;

let db: Dynalite;
before(async () => {
  db = await startDynalite();
});
after(() => db.close());

const sleeps: number[] = [];
function writer(cluster: string, opts: Partial<DynamoDbWriterOptions> = {}): DynamoDbWriter {
  return new DynamoDbWriter({
    client: db.client,
    table: db.table,
    cluster,
    serial: () => 100,
    random: () => 0.999,
    sleep: async (ms) => void sleeps.push(ms),
    retry: { attempts: 4, baseMs: 10, maxMs: 25 },
    ...opts,
  });
}
const reader = (cluster: string, client: Client = db.client) =>
  new DynamoDbStore({ client: sdkReads(client), table: db.table, cluster });

/** A client whose send goes through `hook` first (to inject UnprocessedItems and errors). */
function intercept(
  hook: (command: Command, forward: (c: Command) => Promise<unknown>) => Promise<unknown>,
): Client {
  const forward = (c: Command) => db.client.send(c as never) as Promise<unknown>;
  return { send: (c: Command) => hook(c, forward) } as unknown as Client;
}

/** Not a change-log item (codec-change-log.ts; the writer keeps the last 64). */
const notLog = (key: string) => parseChangeLogName(key) === undefined;

/** Every item key a cluster has in the table (heads, parts, markers). */
async function keysOf(cluster: string): Promise<string[]> {
  const keys: string[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    // A Scan page stops at 1 MB, filtered or not: read every page.
    const out = await db.client.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'cluster' },
        ExpressionAttributeValues: { ':c': { S: cluster } },
        ExclusiveStartKey: start,
      }),
    );
    keys.push(...(out.Items ?? []).map((i) => i.name!.S!));
    start = out.LastEvaluatedKey;
  } while (start);
  return keys.sort();
}

async function assertReads(store: DynamoDbStore, nodes: Iterable<NameNode>): Promise<void> {
  for (const node of nodes) assert.deepEqual(await store.lookup(node.name), node, node.name);
}

test('round trip: every record type, empty non-terminals and synth, from the builder and by hand', async () => {
  const sample = buildCluster(
    readSnapshots([join(import.meta.dirname, 'fixtures/sample-cluster.json')]),
    { ...defaultBuildOptions, pods: 'insecure' },
  );
  const byHand = nodesFromText([
    'ext.shop.svc.cluster.local. 5 IN CNAME www.example.com.',
    'cluster.local. 5 IN NS ns.dns.cluster.local.',
    'v6.shop.svc.cluster.local. 5 IN AAAA fd00::5',
    'odd.shop.svc.cluster.local. 5 IN A 010.0.0.1',
  ]);
  const nodes = [...sample.values(), ...byHand];
  assert.ok(
    nodes.some((n) => n.sets.length === 0) &&
      nodes.some((n) => n.synth) &&
      nodes.some((n) => n.sets.some((s) => s.type === 'PTR')),
  );
  const w = writer('rt');
  const result = await w.apply({ put: nodes, delete: [] });
  assert.deepEqual(result.failed, []);
  assert.equal(result.written.length, nodes.length);
  const store = reader('rt');
  await assertReads(store, nodes);
  assert.equal(store.serial(), 100);
  assert.ok(store.version > 0);
  assert.deepEqual(await w.listOwned(), new Map(nodes.map((n) => [n.name, contentHash(n)])));
  for (const absent of ['nope.cluster.local', '', FENCE_NAME, '.part/0123456789abcdef/1/x'])
    assert.equal(await store.lookup(absent), undefined);
  assert.equal(await reader('other-cluster').lookup(nodes[0]!.name), undefined);
});

test('a headless Service of 5,000 endpoints and 3 named ports is stored and read back equal', async (t) => {
  const ports = ['http', 'grpc', 'metrics'].map((name, i) => ({
    name,
    port: 8080 + i,
    protocol: 'TCP',
  }));
  const endpoints = (hostnames: boolean) =>
    Array.from({ length: 5000 }, (_, i) => ({
      addresses: [`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`],
      hostname: hostnames ? `many-statefulset-replica-${i}` : undefined,
    }));
  const objects = (hostnames: boolean) =>
    parseSnapshot(
      JSON.stringify({
        kind: 'List',
        items: [
          { kind: 'Namespace', metadata: { name: 'big' } },
          {
            kind: 'Service',
            metadata: { name: 'many', namespace: 'big' },
            spec: { clusterIP: 'None', ports },
          },
          {
            kind: 'EndpointSlice',
            metadata: {
              name: 'many-1',
              namespace: 'big',
              labels: { 'kubernetes.io/service-name': 'many' },
            },
            addressType: 'IPv4',
            endpoints: endpoints(hostnames),
            ports,
          },
        ],
      }),
      'big',
    ).objects;
  for (const [cluster, hostnames, partBytes] of [
    ['big', false, PART_BYTES],
    ['big-hostnames', true, PART_BYTES],
    ['big-small-parts', false, 64_000],
  ] as const) {
    const all = [...buildCluster(objects(hostnames), defaultBuildOptions).values()];
    const large = all.filter((n) => n.sets.some((s) => s.data.length >= 5000));
    const svc = large.find((n) => n.name === 'many.big.svc.cluster.local')!;
    assert.deepEqual(
      svc.sets.map((s) => [s.type, s.data.length]),
      [
        ['A', 5000],
        ['SRV', 15000],
      ],
    );
    const encoded = large.map((n) => encodeNode(n, cluster, 1, partBytes));
    for (const e of encoded) {
      const sizes = [e.head, ...e.parts].map(itemSize);
      t.diagnostic(
        `${cluster}: ${e.name}: ${sizes.length} item(s) of ${sizes.join(' + ')} bytes (JSON ${JSON.stringify(large.find((n) => n.name === e.name)).length})`,
      );
      for (const size of sizes) assert.ok(size < 400 * 1024, `${e.name}: ${size} bytes`);
    }
    const w = writer(cluster, { partBytes });
    const stored = [...large, ...all.filter((_, i) => i % 500 === 0)];
    const result = await w.apply({ put: stored, delete: [] });
    assert.deepEqual(result.failed, []);
    await assertReads(reader(cluster), stored);
    if (partBytes < PART_BYTES) assert.ok(encoded.every((e) => e.parts.length > 0));
  }
});

test('a node that shrinks leaves no stale parts, also after a restart and for orphaned parts', async () => {
  const node = (n: number): NameNode => ({
    name: 'grow.cluster.local',
    sets: [
      {
        type: 'AAAA',
        ttl: 5,
        data: Array.from({ length: n }, (_, i) => `fd00::${(i + 1).toString(16)}`),
      },
    ],
  });
  const parts = async () => (await keysOf('shrink')).filter((k) => k.startsWith('.part/'));
  const w = writer('shrink', { partBytes: 1000 });
  const store = reader('shrink');
  for (const [size, expectedParts] of [
    [400, 6],
    [130, 2],
    [400, 6],
    [10, 0],
  ] as const) {
    assert.deepEqual((await w.apply({ put: [node(size)], delete: [] })).failed, []);
    assert.equal((await parts()).length, expectedParts, `${size} addresses`);
    assert.deepEqual(await store.lookup('grow.cluster.local'), node(size));
  }
  // A restarted sync (a new writer) learns the stored parts before it writes.
  assert.deepEqual((await w.apply({ put: [node(400)], delete: [] })).failed, []);
  const restarted = writer('shrink', { partBytes: 1000 });
  assert.deepEqual((await restarted.apply({ put: [node(50)], delete: [] })).written, [
    'grow.cluster.local',
  ]);
  assert.equal((await parts()).length, 0);
  // A crash between a delete's two steps leaves parts without a head: listed with hash '', deletable.
  assert.deepEqual((await restarted.apply({ put: [node(400)], delete: [] })).failed, []);
  await db.client.send(
    new DeleteItemCommand({
      TableName: db.table,
      Key: { name: { S: 'grow.cluster.local' }, cluster: { S: 'shrink' } },
    }),
  );
  const fresh = writer('shrink', { partBytes: 1000 });
  assert.deepEqual(await fresh.listOwned(), new Map([['grow.cluster.local', '']]));
  assert.deepEqual((await fresh.apply({ put: [], delete: ['grow.cluster.local'] })).written, [
    'grow.cluster.local',
  ]);
  assert.deepEqual(
    (await keysOf('shrink')).filter(notLog),
    [SERIAL_NAME],
    'only the change marker (and its log) is left',
  );
});

test('two clusters in one table never touch each other', async () => {
  const [a] = nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.0.0.1']);
  const [b] = nodesFromText(['web.shop.svc.cluster.local. 5 IN A 10.9.9.9']);
  const [onlyB] = nodesFromText(['db.shop.svc.cluster.local. 5 IN A 10.9.9.8']);
  const wa = writer('east', { partBytes: 10 });
  const wb = writer('west', { partBytes: 10 });
  await wa.apply({ put: [a!], delete: [] });
  await wb.apply({ put: [b!, onlyB!], delete: [] });
  assert.deepEqual([...(await wa.listOwned()).keys()], ['web.shop.svc.cluster.local']);
  assert.deepEqual([...(await wb.listOwned()).keys()].sort(), [
    'db.shop.svc.cluster.local',
    'web.shop.svc.cluster.local',
  ]);
  // East deletes a name both have and one only West has: West keeps both.
  assert.deepEqual(
    (
      await wa.apply({
        put: [],
        delete: ['web.shop.svc.cluster.local', 'db.shop.svc.cluster.local'],
      })
    ).failed,
    [],
  );
  assert.equal(await reader('east').lookup('web.shop.svc.cluster.local'), undefined);
  await assertReads(reader('west'), [b!, onlyB!]);
  assert.deepEqual((await keysOf('east')).filter(notLog), [SERIAL_NAME]);
  const westParts = [b!, onlyB!].reduce(
    (sum, n) => sum + encodeNode(n, 'west', 1, 10).parts.length,
    0,
  );
  assert.equal(
    (await keysOf('west')).filter(notLog).length,
    2 + westParts + 1,
    'heads, parts and the change marker',
  );
  assert.deepEqual(
    [await reader('east').readSerial(), await reader('west').readSerial()],
    [2, 1],
    'a change counter per cluster',
  );
});

test('UnprocessedItems and throttling are retried with capped exponential backoff and full jitter', async () => {
  let calls = 0;
  const client = intercept(async (command, forward) => {
    if (!(command instanceof BatchWriteItemCommand)) return forward(command);
    calls++;
    if (calls === 2 || calls === 3)
      throw new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 400 } });
    const requests = command.input.RequestItems![db.table]!;
    if (calls > 4 || requests.length < 2) return forward(command);
    // Process the first half only, hand the rest back as DynamoDB does under load.
    const half = Math.ceil(requests.length / 2);
    await forward(
      new BatchWriteItemCommand({ RequestItems: { [db.table]: requests.slice(0, half) } }),
    );
    return {
      UnprocessedItems: { [db.table]: requests.slice(half) },
      $metadata: {},
    } satisfies BatchWriteItemCommandOutput;
  });
  const nodes = nodesFromText(
    Array.from({ length: 30 }, (_, i) => `n${i}.retry.cluster.local. 5 IN A 10.0.0.${i}`),
  );
  sleeps.length = 0;
  const w = writer('retry', {
    client,
    concurrency: 1,
    retry: { attempts: 6, baseMs: 10, maxMs: 25 },
  });
  const result = await w.apply({ put: nodes, delete: [] });
  assert.deepEqual(result.failed, []);
  assert.equal(result.written.length, 30);
  // Group 1: unprocessed, throttled, throttled, unprocessed, done; group 2 (5 writes): done.
  assert.deepEqual(sleeps, [9, 19, 24, 24]);
  await assertReads(reader('retry'), nodes);
});

test('writes that keep failing end in `failed`, never in a throw', async () => {
  const nodes = nodesFromText([
    'a.fail.cluster.local. 5 IN A 10.0.0.1',
    'b.fail.cluster.local. 5 IN A 10.0.0.2',
  ]);
  const unprocessed = intercept(async (command, forward) =>
    command instanceof BatchWriteItemCommand
      ? { UnprocessedItems: command.input.RequestItems, $metadata: {} }
      : forward(command),
  );
  const stuck = await writer('fail', { client: unprocessed }).apply({
    put: nodes,
    delete: ['c.fail.cluster.local'],
  });
  assert.deepEqual(stuck.written, []);
  assert.deepEqual(stuck.failed.map((f) => f.name).sort(), [
    'a.fail.cluster.local',
    'b.fail.cluster.local',
    'c.fail.cluster.local',
  ]);
  assert.match(stuck.failed[0]!.error, /after retries: \d+ unprocessed items/);

  let tries = 0;
  const invalid = intercept(async (command, forward) => {
    if (!(command instanceof BatchWriteItemCommand)) return forward(command);
    tries++;
    throw Object.assign(new Error('one or more parameter values were invalid'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });
  const rejected = await writer('fail', { client: invalid }).apply({ put: nodes, delete: [] });
  assert.deepEqual(rejected.written, []);
  assert.match(rejected.failed[0]!.error, /ValidationException/);
  assert.equal(tries, 1, 'a request DynamoDB rejects is not retried');

  const missingTable = new DynamoDbWriter({
    client: db.client,
    table: 'no-such-table',
    cluster: 'fail',
    sleep: async () => {},
  });
  const refused = await missingTable.apply({ put: nodes, delete: [] });
  assert.deepEqual(refused.written, []);
  assert.match(refused.failed[0]!.error, /cannot list owned items: ResourceNotFoundException/);

  const [ok] = nodes;
  const bad = await writer('fail').apply({
    put: [ok!, { name: 'x.fail.cluster.local', sets: [{ type: 'A', ttl: -5, data: [] }] }],
    delete: [ok!.name],
  });
  assert.deepEqual(bad.failed.map((f) => f.name).sort(), [
    'a.fail.cluster.local',
    'x.fail.cluster.local',
  ]);
});

test('reader: parts read with BatchGetItem, UnprocessedKeys and a node replaced between the two reads', async () => {
  const node = (ttl: number): NameNode => ({
    name: 'parts.cluster.local',
    sets: [
      { type: 'A', ttl, data: Array.from({ length: 300 }, (_, i) => `10.1.${i % 256}.${i >> 8}`) },
    ],
  });
  const w = writer('parts', { partBytes: 200 });
  await w.apply({ put: [node(5)], delete: [] });
  let batchGets = 0;
  const client = intercept(async (command, forward) => {
    if (!(command instanceof BatchGetItemCommand)) return forward(command);
    batchGets++;
    // 1st: the writer replaces the node (and deletes the old parts) between the head and its parts.
    if (batchGets === 1)
      assert.deepEqual((await w.apply({ put: [node(6)], delete: [] })).failed, []);
    // 2nd (the new head's parts): only one key is processed.
    if (batchGets === 2) {
      const [first, ...rest] = command.input.RequestItems![db.table]!.Keys!;
      const out = (await forward(
        new BatchGetItemCommand({ RequestItems: { [db.table]: { Keys: [first!] } } }),
      )) as object;
      return { ...out, UnprocessedKeys: { [db.table]: { Keys: rest } } };
    }
    return forward(command);
  });
  assert.deepEqual(await reader('parts', client).lookup('parts.cluster.local'), node(6));
  assert.equal(batchGets, 3);
});

test('reader: unreadable or corrupt data is StoreUnavailableError, never undefined', async () => {
  await db.client.send(
    new PutItemCommand({
      TableName: db.table,
      Item: {
        name: { S: 'bad.cluster.local' },
        cluster: { S: 'corrupt' },
        hash: { S: 'x' },
        body: { B: Uint8Array.of(1, 0, 5) },
      },
    }),
  );
  await assert.rejects(reader('corrupt').lookup('bad.cluster.local'), StoreUnavailableError);
  await assert.rejects(
    new DynamoDbStore({ client: sdkReads(db.client), table: 'no-such-table', cluster: 'c' }).lookup(
      'a.cluster.local',
    ),
    StoreUnavailableError,
  );
  const own = await startDynalite();
  const store = new DynamoDbStore({ client: sdkReads(own.client), table: own.table, cluster: 'c' });
  assert.equal(await store.lookup('a.cluster.local'), undefined);
  await own.stop();
  await assert.rejects(
    store.lookup('a.cluster.local'),
    (e) => e instanceof StoreUnavailableError && /lookup a\.cluster\.local: /.test(e.message),
  );
  await own.close();
});

test('fence: the higher term wins, a stale term is refused and apply() writes nothing after it', async () => {
  const [n1] = nodesFromText(['one.fence.cluster.local. 5 IN A 10.0.0.1']);
  const [n2] = nodesFromText(['two.fence.cluster.local. 5 IN A 10.0.0.2']);
  const logs: string[] = [];
  const a = writer('fence', { log: (l) => logs.push(l) });
  const b = writer('fence');
  assert.equal(await a.fence('replica-a', 1), true);
  assert.deepEqual((await a.apply({ put: [n1!], delete: [] })).written, [n1!.name]);
  assert.equal(await b.fence('replica-b', 2), true);
  const refused = await a.apply({ put: [n2!], delete: [n1!.name] });
  assert.deepEqual(refused.written, []);
  assert.deepEqual(
    refused.failed.map((f) => f.name),
    [n2!.name, n1!.name],
  );
  assert.match(refused.failed[0]!.error, /fenced out/);
  assert.equal(await reader('fence').lookup(n2!.name), undefined);
  assert.equal(await a.fence('replica-a', 1), false);
  assert.equal(
    await writer('fence').fence('replica-c', 2),
    false,
    'an equal term held by another holder',
  );
  assert.deepEqual((await b.apply({ put: [n2!], delete: [] })).written, [n2!.name]);
  assert.ok(logs.some((l) => /fence lost/.test(l)));
  // The marker is not an owner name: never listed, never answered.
  assert.deepEqual([...(await b.listOwned()).keys()].sort(), [n1!.name, n2!.name]);
  assert.ok((await keysOf('fence')).includes(FENCE_NAME));
  const marker = await db.client.send(
    new GetItemCommand({
      TableName: db.table,
      Key: { name: { S: FENCE_NAME }, cluster: { S: 'fence' } },
    }),
  );
  assert.equal(marker.Item?.term?.N, '2');
  // Another cluster's fence is another item.
  assert.equal(await writer('fence-other').fence('x', 1), true);
});

test('serial marker: bumped after every apply that wrote, by any writer; never listed or answered', async () => {
  const [n1] = nodesFromText(['one.serial.cluster.local. 5 IN A 10.0.0.1']);
  const [n2] = nodesFromText(['two.serial.cluster.local. 5 IN A 10.0.0.2']);
  const store = reader('serial');
  assert.equal(
    await store.readSerial(),
    undefined,
    'no marker before the first write (as with a sync from before it)',
  );
  const w = writer('serial', { serial: () => 2024 });
  await w.apply({ put: [n1!], delete: [] });
  assert.equal(await store.readSerial(), 1);
  await w.apply({ put: [n2!], delete: [n1!.name] });
  assert.equal(await store.readSerial(), 2);
  await w.apply({ put: [], delete: [] });
  await w.apply({
    put: [{ name: 'bad.serial.cluster.local', sets: [{ type: 'A', ttl: -1, data: [] }] }],
    delete: ['.not-an-owner'],
  });
  assert.equal(await store.readSerial(), 2, 'nothing to write: no bump');
  // A restarted sync (or another replica) continues the count: a value is never seen twice.
  await writer('serial', { serial: () => 1 }).apply({ put: [n1!], delete: [] });
  assert.equal(await store.readSerial(), 3);
  const marker = await db.client.send(
    new GetItemCommand({ TableName: db.table, Key: serialMarkerKey('serial') }),
  );
  assert.deepEqual(
    [marker.Item?.changes?.N, marker.Item?.serial?.N],
    ['3', '1'],
    'the counter, and the SOA serial of the last apply',
  );
  assert.deepEqual([...(await w.listOwned()).keys()].sort(), [n1!.name, n2!.name]);
  assert.equal(await store.lookup(SERIAL_NAME), undefined);
  // Fenced out: nothing written, no bump; the fence keeps its own marker.
  assert.equal(await w.fence('replica-a', 1), true);
  assert.equal(await writer('serial').fence('replica-b', 2), true);
  assert.match((await w.apply({ put: [n2!], delete: [] })).failed[0]!.error, /fenced out/);
  assert.equal(await store.readSerial(), 3);
});

test('serial marker: a bump that fails reports the names failed, so the retry signals them', async () => {
  const [n1] = nodesFromText(['one.unsignalled.cluster.local. 5 IN A 10.0.0.1']);
  let fail = true;
  const client = intercept(async (command, forward) => {
    if (command instanceof UpdateItemCommand && fail)
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    return forward(command);
  });
  const logs: string[] = [];
  const w = writer('unsignalled', { client, log: (l) => logs.push(l) });
  const result = await w.apply({ put: [n1!], delete: [] });
  assert.deepEqual(result.written, []);
  assert.deepEqual(
    result.failed.map((f) => f.name),
    [n1!.name],
  );
  assert.match(
    result.failed[0]!.error,
    /written, but the serial marker was not bumped .*ThrottlingException/,
  );
  assert.ok(logs.some((l) => /serial marker was not bumped/.test(l)));
  assert.deepEqual(await reader('unsignalled').lookup(n1!.name), n1, 'the item itself is there');
  fail = false;
  assert.deepEqual((await w.apply({ put: [n1!], delete: [] })).written, [n1!.name]);
  assert.equal(await reader('unsignalled').readSerial(), 1);
});

test('readSerial: unreachable or a corrupt marker is StoreUnavailableError', async () => {
  await db.client.send(
    new PutItemCommand({
      TableName: db.table,
      Item: { ...serialMarkerKey('corrupt-serial'), changes: { S: 'many' } },
    }),
  );
  await assert.rejects(
    reader('corrupt-serial').readSerial(),
    (e) => e instanceof StoreUnavailableError && /serial marker: corrupt item/.test(e.message),
  );
  await assert.rejects(
    new DynamoDbStore({
      client: sdkReads(db.client),
      table: 'no-such-table',
      cluster: 'c',
    }).readSerial(),
    StoreUnavailableError,
  );
});
