// Cluster zones: each zone answers from its cluster, every name of the answer in that zone; reverse
// names ask the clusters in order; what no block serves is REFUSED. Two in-memory clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { answerQuestion } from '../core/answer.ts';
import type { Next } from '../core/plugin.ts';
import { resolve, type ResolverContext } from '../core/resolver.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import { clusterZoneBlocks } from './edge-cluster-zones.ts';
import { edgeConfigFromEnv } from './edge-config.ts';

function cluster(lines: string[]): MemoryStore {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(lines), 1);
  return store;
}
const stores: Record<string, Store> = {
  east: cluster([
    'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
    '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
    'alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.',
    '5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.',
  ]),
  west: cluster([
    'web.shop.svc.cluster.local. 5 IN A 10.112.0.9',
    '9.0.112.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.',
  ]),
  down: {
    version: 0,
    serial: () => 0,
    lookup: async () => {
      throw new StoreUnavailableError('unreadable');
    },
  },
};

function edge(): ResolverContext {
  const kubernetes = { zones: ['cluster.local', 'in-addr.arpa'], ttl: 5, nsAddresses: [] };
  // No own cluster (EDGE_DNS_CLUSTER unset): the rest of the names have no zone.
  const ctx: ResolverContext = { store: stores.east!, zones: [] };
  const rest: Next = (q) => answerQuestion(q.name, q.type, ctx, q.flags);
  ctx.blocks = clusterZoneBlocks({
    clusterZones: [
      { zone: 'east.example.com', cluster: 'east' },
      { zone: 'west.example.com', cluster: 'west' },
      { zone: 'down.example.com', cluster: 'down' },
    ],
    kubernetes,
    storeFor: (c) => stores[c]!,
    rest,
  });
  return ctx;
}

async function ask(ctx: ResolverContext, name: string, type: string): Promise<string[]> {
  const query = dnsPacket.encode({
    id: 1,
    type: 'query',
    questions: [{ name, type: type as 'A' }],
  });
  const reply = dnsPacket.decode((await resolve(query, 'https', ctx))!);
  const rcode = (reply as { rcode?: string }).rcode ?? '';
  return [rcode, ...[...reply.answers!, ...reply.authorities!].map(toPresentation)];
}

const rows: [string, string, string[]][] = [
  [
    'web.shop.svc.east.example.com',
    'A',
    ['NOERROR', 'web.shop.svc.east.example.com. 5 IN A 10.96.0.5'],
  ],
  [
    'web.shop.svc.west.example.com',
    'A',
    ['NOERROR', 'web.shop.svc.west.example.com. 5 IN A 10.112.0.9'],
  ],
  [
    '_http._tcp.web.shop.svc.east.example.com',
    'SRV',
    [
      'NOERROR',
      '_http._tcp.web.shop.svc.east.example.com. 5 IN SRV 0 100 80 web.shop.svc.east.example.com.',
    ],
  ],
  [
    'alias.shop.svc.east.example.com',
    'A',
    [
      'NOERROR',
      'alias.shop.svc.east.example.com. 5 IN CNAME web.shop.svc.east.example.com.',
      'web.shop.svc.east.example.com. 5 IN A 10.96.0.5',
    ],
  ],
  [
    'nope.shop.svc.west.example.com',
    'A',
    [
      'NXDOMAIN',
      'west.example.com. 5 IN SOA ns.dns.west.example.com. hostmaster.west.example.com. 12345 7200 1800 86400 5',
    ],
  ],
  ['web.shop.svc.down.example.com', 'A', ['SERVFAIL']],
  [
    '5.0.96.10.in-addr.arpa',
    'PTR',
    ['NOERROR', '5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.east.example.com.'],
  ],
  [
    '9.0.112.10.in-addr.arpa',
    'PTR',
    ['NOERROR', '9.0.112.10.in-addr.arpa. 5 IN PTR web.shop.svc.west.example.com.'],
  ],
  // The down cluster could hold the address: never NXDOMAIN from a cluster we could not read.
  ['7.7.7.10.in-addr.arpa', 'PTR', ['SERVFAIL']],
  ['web.shop.svc.cluster.local', 'A', ['REFUSED']],
  ['example.org', 'A', ['REFUSED']],
];

for (const [name, type, want] of rows)
  test(`${name} ${type} -> ${want[0]}`, async () => {
    const got = await ask(edge(), name, type);
    // SOA serials are the store's version: compare the rest of the record.
    const soa = (l: string) => l.replace(/( SOA \S+ \S+) \d+/, '$1 SERIAL');
    assert.deepEqual(got.map(soa), want.map(soa));
  });

const base = { EDGE_DNS_TABLE: 'dns', AWS_REGION: 'eu-west-1', EDGE_DNS_PUBLIC: 'true' };
const configRows: [Record<string, string>, string][] = [
  [{}, 'EDGE_DNS_CLUSTER: required: the cluster id the sync publishes as'],
  [
    { EDGE_DNS_CLUSTER_ZONES: 'east.example.com' },
    'EDGE_DNS_CLUSTER_ZONES[0]: expected ZONE=CLUSTER',
  ],
  [
    { EDGE_DNS_CLUSTER_ZONES: 'a.example.com=East' },
    'EDGE_DNS_CLUSTER_ZONES[0]: expected a cluster id',
  ],
  [
    { EDGE_DNS_CLUSTER: 'a', EDGE_DNS_CLUSTERSET_ZONE: 'clusterset.local' },
    'EDGE_DNS_CLUSTERSET_ZONE: set EDGE_DNS_CLUSTER_ZONES',
  ],
  [
    { EDGE_DNS_CLUSTER_ZONES: 'a.example.com=a', EDGE_DNS_CLUSTERSET_ZONE: 'example.com' },
    'EDGE_DNS_CLUSTER_ZONES: a.example.com and example.com overlap',
  ],
  [
    { EDGE_DNS_CLUSTER_ZONES: 'example.com=a,east.example.com=b' },
    'EDGE_DNS_CLUSTER_ZONES: example.com and east.example.com overlap',
  ],
];
for (const [env, message] of configRows)
  test(`config ${JSON.stringify(env)}: ${message}`, () => {
    assert.throws(
      () => edgeConfigFromEnv({ ...base, ...env }),
      (e: Error) => e.message.includes(`environment: ${message}`),
    );
  });

test('cluster zones without EDGE_DNS_CLUSTER: the clusters domain is served only through them', () => {
  const c = edgeConfigFromEnv({
    ...base,
    EDGE_DNS_CLUSTER_ZONES: 'East.Example.com.=east, west.example.com=west',
  });
  assert.deepEqual(c.clusterZones, [
    { zone: 'east.example.com', cluster: 'east' },
    { zone: 'west.example.com', cluster: 'west' },
  ]);
  assert.equal(c.ownDomain, false);
  assert.equal(edgeConfigFromEnv({ ...base, EDGE_DNS_CLUSTER: 'home' }).ownDomain, true);
});
