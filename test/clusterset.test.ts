// The clusterset zone by ServiceExport (docs/architecture.md §5.8): three test API servers, three
// live syncs (sync/main.ts processes, --export-zone clusterset.local) writing one dynalite table,
// and both edges (the built Lambda bundle and the Worker in workerd) with EDGE_DNS_CLUSTER_ZONES
// and EDGE_DNS_CLUSTERSET_ZONE, reading through a proxy that counts their DynamoDB calls. `web` runs
// in all three clusters and is exported by east and west only: the clusterset answers their two
// addresses, never north's; un-exporting it in west removes west's; a miss is one Query.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import {
  startDynamoDbThrottleProxy,
  type DynamoDbThrottleProxy,
} from './support/dynamodb-throttle-proxy.ts';
import { ClusterSyncs } from './support/cluster-syncs.ts';
import { askEdge } from './support/edge-ask.ts';
import { startEdges, type EdgeInstances } from './support/edge-instances.ts';
import { startEntry } from './support/entry-process.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { namespaceObject, serviceObject, type Json } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { testAwsEnv } from './support/sync-env.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';

/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 180_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-clusterset-'));
const CLUSTERS = { east: '10.1.0.5', west: '10.2.0.5', north: '10.3.0.5' } as const;
type ClusterId = keyof typeof CLUSTERS;
const SET = 'clusterset.local';

let db: Dynalite;
let proxy: DynamoDbThrottleProxy;
let clusters: ClusterSyncs<ClusterId>;
let started: EdgeInstances | undefined;

const exportOf = (name: string): Json => ({ metadata: { name, namespace: 'shop' } });
/** The headless `db` of east: one ready endpoint with a hostname. */
const dbSlice: Json = {
  metadata: { name: 'db-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'db' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.1.1.1'], hostname: 'db-0', conditions: { ready: true } }],
  ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
};

before(async () => {
  db = await startDynalite();
  proxy = await startDynamoDbThrottleProxy(db.endpoint);
  clusters = await ClusterSyncs.start({
    clusters: Object.keys(CLUSTERS) as ClusterId[],
    table: db.table,
    endpoint: db.endpoint,
    args: ['--export-zone', SET],
    seed: (cluster, api) => {
      const ip = CLUSTERS[cluster];
      api.apply('Namespace', namespaceObject('shop'));
      api.apply('Service', serviceObject('shop', 'web', { clusterIP: ip, clusterIPs: [ip] }));
      if (cluster !== 'north') api.apply('ServiceExport', exportOf('web'));
      if (cluster === 'east') {
        api.apply(
          'Service',
          serviceObject('shop', 'db', { clusterIP: 'None', clusterIPs: ['None'] }),
        );
        api.apply('EndpointSlice', dbSlice);
        api.apply('ServiceExport', exportOf('db'));
      }
    },
  });
  started = await startEdges({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_DYNAMODB_ENDPOINT: proxy.endpoint,
    EDGE_DNS_CLUSTER_ZONES: (Object.keys(CLUSTERS) as ClusterId[])
      .map((c) => `${c}.k8s.example.com=${c}`)
      .join(','),
    EDGE_DNS_CLUSTERSET_ZONE: SET,
    EDGE_DNS_PUBLIC: 'true',
    EDGE_DNS_METRICS: 'off',
  });
}, GUARD);

after(async () => {
  await started?.close();
  await clusters?.close();
  await proxy?.close();
  await db?.close();
}, GUARD);

const soa = `${SET}. 5 IN SOA ns.dns.${SET}. hostmaster.${SET}. SERIAL 7200 1800 86400 5`;
const web = `web.shop.svc.${SET}`;
const dbName = `db.shop.svc.${SET}`;

const ROWS: [name: string, type: string, want: string[]][] = [
  // Exported by east and west: both addresses; north's unexported `web` is not in the answer.
  [web, 'A', ['NOERROR', `${web}. 5 IN A ${CLUSTERS.east}`, `${web}. 5 IN A ${CLUSTERS.west}`]],
  [`_http._tcp.${web}`, 'SRV', ['NOERROR', `_http._tcp.${web}. 5 IN SRV 0 100 80 ${web}.`]],
  // The headless export: its endpoint under east's id (KEP-1645's per-cluster names).
  [dbName, 'A', ['NOERROR', `${dbName}. 5 IN A 10.1.1.1`]],
  [dbName, 'SRV', ['NOERROR', `${dbName}. 5 IN SRV 0 100 5432 db-0.east.${dbName}.`]],
  [`db-0.east.${dbName}`, 'A', ['NOERROR', `db-0.east.${dbName}. 5 IN A 10.1.1.1`]],
  [`db-0.west.${dbName}`, 'A', ['NXDOMAIN', soa]],
  [`shop.svc.${SET}`, 'A', ['NOERROR', soa]],
  [`nope.shop.svc.${SET}`, 'A', ['NXDOMAIN', soa]],
  [SET, 'SOA', ['NOERROR', soa]],
  // Each cluster zone still answers its cluster, exported or not.
  [
    'web.shop.svc.north.k8s.example.com',
    'A',
    ['NOERROR', `web.shop.svc.north.k8s.example.com. 5 IN A ${CLUSTERS.north}`],
  ],
];

test('the clusterset answers the exporting clusters only, at both edges', GUARD, async () => {
  for (const [edge, fetch] of started!.edges)
    for (const [name, type, want] of ROWS)
      assert.deepEqual(await askEdge(fetch, name, type), want, `${edge}: ${name} ${type}`);
});

test('a clusterset miss is one Query, whatever the number of clusters', GUARD, async () => {
  for (const [edge, fetch] of started!.edges)
    for (const name of [
      `miss-${edge}.shop.svc.${SET}`,
      `_http._tcp.${web}`.replace('_http', '_x'),
    ]) {
      const from = proxy.calls.length;
      await askEdge(fetch, name, 'A');
      // BatchGetItem reads the change counters (once per check, not per lookup) and logs.
      const reads = proxy.calls.slice(from).filter((op) => op !== 'BatchGetItem');
      assert.deepEqual(reads, ['Query'], `${edge}: ${name}`);
    }
});

test("deleting west's ServiceExport removes west's address", GUARD, async () => {
  await clusters.deleting('west', (api) => api.remove('ServiceExport', 'shop', 'web'));
  for (const [edge, fetch] of started!.edges) {
    // The edge sees it through west's change counter and log (about a second).
    await pollUntil(
      () => askEdge(fetch, web, 'A'),
      (got) => got.length === 2,
      { what: `${edge}: ${web} without west`, deadlineMs: 20_000, everyMs: 200 },
    );
    assert.deepEqual(await askEdge(fetch, web, 'A'), [
      'NOERROR',
      `${web}. 5 IN A ${CLUSTERS.east}`,
    ]);
    // West's Service itself is still answered in west's zone.
    assert.deepEqual(await askEdge(fetch, 'web.shop.svc.west.k8s.example.com', 'A'), [
      'NOERROR',
      `web.shop.svc.west.k8s.example.com. 5 IN A ${CLUSTERS.west}`,
    ]);
  }
});

test(
  'a cluster without the ServiceExport CRD: the sync starts, logs it, and exports once it is installed',
  GUARD,
  async (t) => {
    const api = await KubeApiServer.start();
    api.serve('ServiceExport', false);
    api.apply('Namespace', namespaceObject('shop'));
    api.apply(
      'Service',
      serviceObject('shop', 'web', { clusterIP: '10.4.0.5', clusterIPs: ['10.4.0.5'] }),
    );
    const kubeconfig = join(dir, 'south.kubeconfig');
    api.writeKubeconfig(kubeconfig);
    const sync = startEntry(
      'sync/main.ts',
      [
        ...['--cluster-id', 'south', '--table', db.table, '--region', 'us-east-1'],
        ...['--dynamodb-endpoint', db.endpoint, '--kubeconfig', kubeconfig],
        ...['--lease-namespace', 'default', '--identity', 'south-0', '--export-zone', SET],
      ],
      { env: testAwsEnv() },
    );
    t.after(async () => {
      await sync.stop();
      await api.close();
    });
    await sync.waitFor(/watch ServiceExport: not served \(.*404.*is its CRD installed\?\)/);
    await sync.waitFor(/: full reconcile: /, { timeoutMs: 120_000 });
    const south = new DynamoDbStore({
      client: sdkReads(db.client),
      table: db.table,
      cluster: 'south',
    });
    // The API said the kind does not exist: nothing is exported.
    assert.equal(await south.lookup(web), undefined);
    api.serve('ServiceExport', true);
    api.apply('ServiceExport', exportOf('web'));
    await sync.waitFor(/watch ServiceExport: the API serves the kind now/);
    await pollUntil(
      () => south.lookup(web),
      (node) => node !== undefined,
      { what: `south's ${web} published`, deadlineMs: 30_000, everyMs: 200 },
    );
    assert.deepEqual(await south.lookup(web), {
      name: web,
      sets: [
        { type: 'A', ttl: 5, data: ['10.4.0.5'] },
        { type: 'SRV', ttl: 5, data: [{ priority: 0, weight: 100, port: 80, target: web }] },
      ],
    });
  },
);
