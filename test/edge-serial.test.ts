// The edge cache's serial validation end to end: the real sync (Reconciler + DynamoDbWriter)
// publishes the sample cluster to dynalite, with its change log and change marker; edgeApp
// (DynamoDbStore -> CachedStore with its serial check -> the resolver -> the DoH app) answers on a
// virtual clock, so TTLs and check intervals pass without sleeping. DynamoDB reads are counted at
// the client: the marker's GetItem, the change log's BatchGetItem, and data reads.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { edgeConfigFromEnv } from '../functions/entry/edge-config.ts';
import { edgeApp } from '../functions/entry/edge-app.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { CHANGE_LOG_KEEP, changeLogKey } from '../functions/store/dynamodb/codec-change-log.ts';
import { SERIAL_NAME, serialMarkerKey } from '../functions/store/dynamodb/codec-serial.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { MutableSource } from './support/mutable-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { ORIGIN } from './doh/run-cases.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { startDynalite } from './support/dynalite.ts';
import { readRecorder } from './support/read-recorder.ts';

const TOKEN = 'edge-serial-test-token-0123456789';
const K8S = 'kubernetes.default.svc.cluster.local';
const OTHERS = [
  'kube-dns.kube-system.svc.cluster.local',
  'web.shop.svc.cluster.local',
  'cart.shop.svc.cluster.local',
  'api.edge.svc.cluster.local',
];
const CART = 'cart.shop.svc.cluster.local';
const TTL_S = 30;

const db = await startDynalite();
after(() => db.close());

/** The sync of one cluster id: the sample cluster, changed through `source`. */
async function sync(t: TestContext, cluster: string) {
  const source = MutableSource.of(readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]));
  const reconciler = new Reconciler({
    source,
    build: defaultBuildOptions,
    writer: new DynamoDbWriter({ client: db.client, table: db.table, cluster }),
    hash: contentHash,
    resyncMs: 0,
  });
  assert.equal((await reconciler.start()).failed, 0);
  t.after(() => reconciler.stop());
  const settled = async () => {
    await reconciler.settled();
    assert.equal(reconciler.last?.failed, 0);
  };
  /** Gives kubernetes.default another ClusterIP and waits until the sync has published it. */
  const moveKubernetes = async (ip: string) => {
    const svc = readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]).services.find(
      (s) => s.metadata.name === 'kubernetes' && s.metadata.namespace === 'default',
    );
    assert.ok(svc);
    source.put('Service', { ...svc, spec: { ...svc.spec, clusterIP: ip, clusterIPs: [ip] } });
    await settled();
  };
  /** Deletes shop/cart (its Service and EndpointSlices) and waits until the sync has published it. */
  const deleteCart = async () => {
    source.remove('Service', 'shop/cart');
    for (const key of source.objects('EndpointSlice').keys())
      if (key.startsWith('shop/cart')) source.remove('EndpointSlice', key);
    await settled();
  };
  return { moveKubernetes, deleteCart };
}

/** An edge instance on a virtual clock; its DynamoDB reads counted by item name. */
function edge(cluster: string, serialCheck: number) {
  const reads: string[] = [];
  const client = readRecorder(db.client, (r) =>
    reads.push(r.op === 'GetItem' ? r.name : r.changeLog ? 'change log' : 'BatchGetItem'),
  );
  const config = edgeConfigFromEnv({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: cluster,
    EDGE_DNS_REGION: 'us-east-1',
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: TTL_S,
    EDGE_DNS_SERIAL_CHECK: serialCheck,
  });
  const clock = { ms: 1_700_000_000_000 };
  const { app } = edgeApp(config, sdkReads(client), () => clock.ms);
  const query = async (name: string): Promise<{ Status: number; Answer?: { data: string }[] }> => {
    const response = await app.fetch(
      new Request(`${ORIGIN}/resolve?name=${name}&type=A`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    );
    assert.equal(response.status, 200);
    return (await response.json()) as { Status: number; Answer?: { data: string }[] };
  };
  const a = async (name: string): Promise<string[]> => {
    const json = await query(name);
    assert.equal(json.Status, 0, `${name}: NOERROR`);
    return (json.Answer ?? []).map((x) => x.data);
  };
  const rcode = async (name: string): Promise<number> => (await query(name)).Status;
  const counts = () => ({
    marker: reads.filter((n) => n === SERIAL_NAME).length,
    log: reads.filter((n) => n === 'change log').length,
    data: reads.filter((n) => n !== SERIAL_NAME && n !== 'change log').length,
  });
  /** Data reads since `from` (an index into reads), by name. */
  const dataSince = (from: number) =>
    reads.slice(from).filter((n) => n !== SERIAL_NAME && n !== 'change log');
  return {
    a,
    rcode,
    clock,
    reads,
    counts,
    dataSince,
    advance: (seconds: number) => void (clock.ms += seconds * 1000),
  };
}

test('a change published by the sync shows at the edge within one serial check, not a whole TTL', async (t) => {
  const { moveKubernetes } = await sync(t, 'live');
  const serial = edge('live', 1);
  const ttlOnly = edge('live', 0);
  for (const e of [serial, ttlOnly]) assert.deepEqual(await e.a(K8S), ['10.96.0.1']);
  assert.deepEqual(
    serial.reads,
    [SERIAL_NAME, K8S],
    'the first query: one counter read, one data read',
  );
  assert.deepEqual(ttlOnly.reads, [K8S]);

  await moveKubernetes('10.96.0.99');
  for (const e of [serial, ttlOnly]) e.advance(1);
  assert.deepEqual(
    await serial.a(K8S),
    ['10.96.0.99'],
    'serial-validated: one check after the change',
  );
  assert.deepEqual(
    await ttlOnly.a(K8S),
    ['10.96.0.1'],
    'TTL-only: the old address until the TTL runs out',
  );
  for (const e of [serial, ttlOnly]) e.advance(TTL_S - 1);
  assert.deepEqual(await serial.a(K8S), ['10.96.0.99']);
  assert.deepEqual(await ttlOnly.a(K8S), ['10.96.0.99']);
  assert.deepEqual(serial.counts(), { marker: 3, log: 1, data: 2 });
  assert.deepEqual(ttlOnly.counts(), { marker: 0, log: 0, data: 2 });
});

test('a quiet cluster: names keep answering past their TTL, one counter read per check and no data reads', async (t) => {
  await sync(t, 'quiet');
  const e = edge('quiet', 1);
  const names = [K8S, 'kube-dns.kube-system.svc.cluster.local', 'web.shop.svc.cluster.local'];
  await e.a(names[0]!);
  e.advance(2); // past the settle time after the counter was first seen
  for (const name of names) await e.a(name);
  const first = e.counts();
  for (let minute = 1; minute <= 10; minute++) {
    e.advance(60);
    for (const name of names) await e.a(name);
  }
  assert.deepEqual(
    e.counts(),
    { marker: first.marker + 10, log: 0, data: first.data + 1 },
    'ten minutes: ten checks; K8S, first read within the settle time, once more',
  );
  assert.deepEqual(first, { marker: 2, log: 0, data: 3 });
});

test('no marker item (a sync from before it): TTL-only, until a sync writes one', async (t) => {
  const { moveKubernetes } = await sync(t, 'older');
  await db.client.send(
    new DeleteItemCommand({ TableName: db.table, Key: serialMarkerKey('older') }),
  );
  const e = edge('older', 1);
  assert.deepEqual(await e.a(K8S), ['10.96.0.1']);
  e.advance(TTL_S - 1);
  await e.a(K8S);
  assert.deepEqual(
    e.counts(),
    { marker: 1, log: 0, data: 1 },
    'within the TTL: from the cache; no counter read before the recheck time (30 s)',
  );
  e.advance(1);
  await e.a(K8S);
  assert.deepEqual(
    e.counts(),
    { marker: 2, log: 0, data: 2 },
    'at the TTL: read again, as TTL-only',
  );
  await moveKubernetes('10.96.0.77'); // an upgraded sync: its first bump creates the marker
  e.advance(TTL_S);
  assert.deepEqual(await e.a(K8S), ['10.96.0.77']);
  assert.deepEqual(
    e.counts(),
    { marker: 3, log: 0, data: 3 },
    'the marker found at the next check',
  );
  e.advance(TTL_S);
  await e.a(K8S); // read within the settle time after the marker was first seen: once more
  for (let i = 0; i < 5; i++) {
    e.advance(TTL_S);
    assert.deepEqual(await e.a(K8S), ['10.96.0.77']);
  }
  assert.deepEqual(
    e.counts(),
    { marker: 9, log: 0, data: 4 },
    'then served on the counter, past its TTL',
  );
});

/** An edge with K8S and OTHERS cached, past their TTL, answering on the counter; reads so far. */
async function warmEdge(cluster: string) {
  const e = edge(cluster, 1);
  await e.a(K8S);
  e.advance(2); // past the settle time after the counter was first seen
  for (const name of [K8S, ...OTHERS]) await e.a(name);
  e.advance(2 * TTL_S);
  for (const name of [K8S, ...OTHERS]) await e.a(name);
  assert.deepEqual(e.counts(), { marker: 3, log: 0, data: 1 + OTHERS.length + 1 });
  return e;
}

test('a change to one service: the edge reads that name again, and no other', async (t) => {
  const { moveKubernetes } = await sync(t, 'named');
  const e = await warmEdge('named');
  const before = e.reads.length;
  await moveKubernetes('10.96.0.42');
  e.advance(1);
  assert.deepEqual(await e.a(K8S), ['10.96.0.42']);
  for (const name of OTHERS) await e.a(name);
  assert.deepEqual(e.dataSince(before), [K8S], 'only the changed name is read');
  assert.deepEqual(e.counts().log, 1, 'one change-log read for the counter move');
  e.advance(3 * TTL_S);
  for (const name of [K8S, ...OTHERS]) await e.a(name);
  assert.deepEqual(
    e.dataSince(before),
    [K8S, K8S],
    'K8S, re-read within the settle time, once more; the others never',
  );
});

test('a deleted service: NXDOMAIN after the next check, the other names still cached', async (t) => {
  const { deleteCart } = await sync(t, 'deleted');
  const e = await warmEdge('deleted');
  const before = e.reads.length;
  await deleteCart();
  assert.deepEqual(await e.a(CART), ['10.96.88.21'], 'before the next check: the cached answer');
  e.advance(1);
  assert.equal(await e.rcode(CART), 3, 'NXDOMAIN');
  for (const name of [K8S, ...OTHERS.filter((n) => n !== CART)]) await e.a(name);
  assert.deepEqual(e.dataSince(before), [CART]);
});

test('a counter move longer than the log kept, or a log item missing: every name is read again', async (t) => {
  for (const how of ['gap', 'missing'] as const) {
    const cluster = `fallback-${how}`;
    const { moveKubernetes } = await sync(t, cluster);
    const e = await warmEdge(cluster);
    const before = e.reads.length;
    const counter = (await new DynamoDbStore({
      client: sdkReads(db.client),
      table: db.table,
      cluster,
    }).readSerial())!;
    if (how === 'gap') {
      await db.client.send(
        new UpdateItemCommand({
          TableName: db.table,
          Key: serialMarkerKey(cluster),
          UpdateExpression: 'SET changes = :c',
          ExpressionAttributeValues: { ':c': { N: String(counter + CHANGE_LOG_KEEP + 1) } },
        }),
      );
      await moveKubernetes('10.96.0.43'); // the writer finds the counter moved, and signals after it
    } else {
      await moveKubernetes('10.96.0.43');
      await db.client.send(
        new DeleteItemCommand({ TableName: db.table, Key: changeLogKey(cluster, counter + 1) }),
      );
    }
    e.advance(1);
    assert.deepEqual(await e.a(K8S), ['10.96.0.43'], how);
    for (const name of OTHERS) await e.a(name);
    assert.deepEqual(
      e.dataSince(before).sort(),
      [K8S, ...OTHERS].sort(),
      `${how}: every name read again`,
    );
    assert.equal(
      e.counts().log,
      how === 'gap' ? 0 : 1,
      `${how}: the log is read only for a move it can cover`,
    );
  }
});
