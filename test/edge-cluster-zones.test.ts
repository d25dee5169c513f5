// Many clusters, one endpoint: three test API servers, three live syncs (sync/main.ts processes)
// writing one dynalite table, and one edge (the built Lambda bundle and the Worker in workerd)
// with EDGE_DNS_CLUSTER_ZONES. Each cluster zone answers its cluster, SRV targets and the SOA stay
// in that zone, reverse names find their cluster, deleting a Service in one cluster changes only
// that cluster's answers, and a name outside every cluster zone is REFUSED. The clusterset zone
// (EDGE_DNS_CLUSTERSET_ZONE, exported Services) is test/clusterset.test.ts's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { ClusterSyncs } from './support/cluster-syncs.ts';
import { askEdge } from './support/edge-ask.ts';
import { startEdges, type EdgeInstances } from './support/edge-instances.ts';
import { namespaceObject, serviceObject } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';

/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 180_000 };
const CLUSTERS = { east: '10.1.0.5', west: '10.2.0.5', north: '10.3.0.5' } as const;
type ClusterId = keyof typeof CLUSTERS;
const zoneOf = (c: ClusterId) => `${c}.k8s.example.com`;

let db: Dynalite;
let clusters: ClusterSyncs<ClusterId>;
let started: EdgeInstances | undefined;

before(async () => {
  db = await startDynalite();
  clusters = await ClusterSyncs.start({
    clusters: Object.keys(CLUSTERS) as ClusterId[],
    table: db.table,
    endpoint: db.endpoint,
    seed: (cluster, api) => {
      const ip = CLUSTERS[cluster];
      api.apply('Namespace', namespaceObject('shop'));
      api.apply('Service', serviceObject('shop', 'web', { clusterIP: ip, clusterIPs: [ip] }));
      // Only east has `cart`: the other zones answer NXDOMAIN for it.
      if (cluster === 'east')
        api.apply(
          'Service',
          serviceObject('shop', 'cart', { clusterIP: '10.1.0.9', clusterIPs: ['10.1.0.9'] }),
        );
    },
  });
  started = await startEdges({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_CLUSTER_ZONES: (Object.keys(CLUSTERS) as ClusterId[])
      .map((c) => `${zoneOf(c)}=${c}`)
      .join(','),
    EDGE_DNS_PUBLIC: 'true',
    EDGE_DNS_METRICS: 'off',
  });
}, GUARD);

after(async () => {
  await started?.close();
  await clusters?.close();
  await db?.close();
}, GUARD);

const soa = (c: ClusterId) =>
  `${zoneOf(c)}. 5 IN SOA ns.dns.${zoneOf(c)}. hostmaster.${zoneOf(c)}. SERIAL 7200 1800 86400 5`;
const web = (c: ClusterId) => `web.shop.svc.${zoneOf(c)}`;

const ROWS: [name: string, type: string, want: string[]][] = [
  ...(Object.entries(CLUSTERS) as [ClusterId, string][]).flatMap(
    ([c, ip]): [string, string, string[]][] => [
      [web(c), 'A', ['NOERROR', `${web(c)}. 5 IN A ${ip}`]],
      [
        `_http._tcp.${web(c)}`,
        'SRV',
        ['NOERROR', `_http._tcp.${web(c)}. 5 IN SRV 0 100 80 ${web(c)}.`],
      ],
      [
        `${ip.split('.').reverse().join('.')}.in-addr.arpa`,
        'PTR',
        ['NOERROR', `${ip.split('.').reverse().join('.')}.in-addr.arpa. 5 IN PTR ${web(c)}.`],
      ],
      [zoneOf(c), 'SOA', ['NOERROR', soa(c)]],
    ],
  ),
  [
    `cart.shop.svc.${zoneOf('east')}`,
    'A',
    ['NOERROR', `cart.shop.svc.${zoneOf('east')}. 5 IN A 10.1.0.9`],
  ],
  [`cart.shop.svc.${zoneOf('west')}`, 'A', ['NXDOMAIN', soa('west')]],
  ['web.shop.svc.cluster.local', 'A', ['REFUSED']],
  ['web.shop.svc.south.k8s.example.com', 'A', ['REFUSED']],
];

test('each cluster zone answers from its cluster, at both edges', GUARD, async () => {
  for (const [edge, fetch] of started!.edges)
    for (const [name, type, want] of ROWS)
      assert.deepEqual(await askEdge(fetch, name, type), want, `${edge}: ${name} ${type}`);
});

test("deleting west's Service changes west's answers only", GUARD, async () => {
  await clusters.deleting('west', (api) => api.remove('Service', 'shop', 'web'));
  for (const [edge, fetch] of started!.edges) {
    // The edge sees the change through west's change counter (about a second).
    await pollUntil(
      () => askEdge(fetch, web('west'), 'A'),
      (got) => got[0] === 'NXDOMAIN',
      { what: `${edge}: ${web('west')} gone`, deadlineMs: 20_000, everyMs: 200 },
    );
    for (const c of ['east', 'north'] as const)
      assert.deepEqual(
        await askEdge(fetch, web(c), 'A'),
        ['NOERROR', `${web(c)}. 5 IN A ${CLUSTERS[c]}`],
        `${edge}: ${c} unchanged`,
      );
  }
});
