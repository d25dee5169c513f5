// The edge cache's serial validation end to end: the real sync (Reconciler + DynamoDbWriter)
// publishes the sample cluster to dynalite and bumps the change marker; edgeApp (DynamoDbStore ->
// CachedStore with its serial check -> the resolver -> the DoH app) answers on a virtual clock, so
// TTLs and check intervals pass without sleeping. DynamoDB reads are counted at the client.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BatchGetItemCommand, DeleteItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { edgeConfigFromEnv } from '../functions/config/edge-config.ts';
import { edgeApp } from '../functions/doh/edge-app.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { SERIAL_NAME, serialMarkerKey } from '../functions/store/dynamodb/codec-serial.ts';
import { defaultBuildOptions } from '../sync/build/options.ts';
import { MutableSource } from '../sync/reconcile/mutable-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { ORIGIN } from './doh/run-cases.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { startDynalite } from './support/dynalite.ts';

const TOKEN = 'edge-serial-test-token-0123456789';
const K8S = 'kubernetes.default.svc.cluster.local';
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
  /** Gives kubernetes.default another ClusterIP and waits until the sync has published it. */
  const moveKubernetes = async (ip: string) => {
    const svc = readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]).services.find((s) => s.metadata.name === 'kubernetes' && s.metadata.namespace === 'default');
    assert.ok(svc);
    source.put('Service', { ...svc, spec: { ...svc.spec, clusterIP: ip, clusterIPs: [ip] } });
    await reconciler.settled();
    assert.equal(reconciler.last?.failed, 0);
  };
  return { moveKubernetes };
}

/** An edge instance on a virtual clock; its DynamoDB reads counted by item name. */
function edge(cluster: string, serialCheck: number) {
  const reads: string[] = [];
  const client: Pick<DynamoDBClient, 'send'> = {
    send: ((command: unknown) => {
      if (command instanceof GetItemCommand) reads.push(command.input.Key!.name!.S!);
      if (command instanceof BatchGetItemCommand) reads.push('BatchGetItem');
      return db.client.send(command as GetItemCommand);
    }) as DynamoDBClient['send'],
  };
  const config = edgeConfigFromEnv({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: cluster,
    EDGE_DNS_REGION: 'us-east-1',
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: TTL_S,
    EDGE_DNS_SERIAL_CHECK: serialCheck,
  });
  const clock = { ms: 1_700_000_000_000 };
  const { app } = edgeApp(config, client, () => clock.ms);
  const a = async (name: string): Promise<string[]> => {
    const response = await app.fetch(new Request(`${ORIGIN}/resolve?name=${name}&type=A`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    assert.equal(response.status, 200);
    const json = (await response.json()) as { Status: number; Answer?: { data: string }[] };
    assert.equal(json.Status, 0, `${name}: NOERROR`);
    return (json.Answer ?? []).map((x) => x.data);
  };
  const counts = () => ({ marker: reads.filter((n) => n === SERIAL_NAME).length, data: reads.filter((n) => n !== SERIAL_NAME).length });
  return { a, clock, reads, counts, advance: (seconds: number) => void (clock.ms += seconds * 1000) };
}

test('a change published by the sync shows at the edge within one serial check, not a whole TTL', async (t) => {
  const { moveKubernetes } = await sync(t, 'live');
  const serial = edge('live', 1);
  const ttlOnly = edge('live', 0);
  for (const e of [serial, ttlOnly]) assert.deepEqual(await e.a(K8S), ['10.96.0.1']);
  assert.deepEqual(serial.reads, [SERIAL_NAME, K8S], 'the first query: one counter read, one data read');
  assert.deepEqual(ttlOnly.reads, [K8S]);

  await moveKubernetes('10.96.0.99');
  for (const e of [serial, ttlOnly]) e.advance(1);
  assert.deepEqual(await serial.a(K8S), ['10.96.0.99'], 'serial-validated: one check after the change');
  assert.deepEqual(await ttlOnly.a(K8S), ['10.96.0.1'], 'TTL-only: the old address until the TTL runs out');
  for (const e of [serial, ttlOnly]) e.advance(TTL_S - 1);
  assert.deepEqual(await serial.a(K8S), ['10.96.0.99']);
  assert.deepEqual(await ttlOnly.a(K8S), ['10.96.0.99']);
  assert.deepEqual(serial.counts(), { marker: 3, data: 2 });
  assert.deepEqual(ttlOnly.counts(), { marker: 0, data: 2 });
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
  assert.deepEqual(e.counts(), { marker: first.marker + 10, data: first.data + 1 }, 'ten minutes: ten checks; K8S, first read within the settle time, once more');
  assert.deepEqual(first, { marker: 2, data: 3 });
});

test('no marker item (a sync from before it): TTL-only, until a sync writes one', async (t) => {
  const { moveKubernetes } = await sync(t, 'older');
  await db.client.send(new DeleteItemCommand({ TableName: db.table, Key: serialMarkerKey('older') }));
  const e = edge('older', 1);
  assert.deepEqual(await e.a(K8S), ['10.96.0.1']);
  e.advance(TTL_S - 1);
  await e.a(K8S);
  assert.deepEqual(e.counts(), { marker: 1, data: 1 }, 'within the TTL: from the cache; no counter read before the recheck time (30 s)');
  e.advance(1);
  await e.a(K8S);
  assert.deepEqual(e.counts(), { marker: 2, data: 2 }, 'at the TTL: read again, as TTL-only');
  await moveKubernetes('10.96.0.77'); // an upgraded sync: its first bump creates the marker
  e.advance(TTL_S);
  assert.deepEqual(await e.a(K8S), ['10.96.0.77']);
  assert.deepEqual(e.counts(), { marker: 3, data: 3 }, 'the marker found at the next check');
  e.advance(TTL_S);
  await e.a(K8S); // read within the settle time after the marker was first seen: once more
  for (let i = 0; i < 5; i++) {
    e.advance(TTL_S);
    assert.deepEqual(await e.a(K8S), ['10.96.0.77']);
  }
  assert.deepEqual(e.counts(), { marker: 9, data: 4 }, 'then served on the counter, past its TTL');
});
