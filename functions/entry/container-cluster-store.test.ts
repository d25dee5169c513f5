// The clusters' stores read as one (docs/architecture.md §6.17): a name in a cluster's zone from
// that cluster alone; reverse names from the first cluster, in the order configured, that holds
// them; a cluster not synced is an error (SERVFAIL) in its zone, and for a reverse miss, never a
// "no such name". And the DoH scope's view of the clusters (§6.19).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import { MemoryStore } from '../store/memory.ts';
import { clusterScope } from './container-cluster-records.ts';
import { ClusterStores } from './container-cluster-store.ts';

const ptr = (name: string, target: string): NameNode => ({
  name,
  sets: [{ type: 'PTR', ttl: 5, data: [target] }],
});
const a = (name: string, ip: string): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [ip] }],
});

function stores(westSynced: boolean) {
  const east = new MemoryStore();
  east.replaceAll(
    [
      a('web.shop.svc.east.example', '10.1.0.10'),
      ptr('10.0.1.10.in-addr.arpa', 'web.shop.svc.east.example'),
      ptr('1.0.0.10.in-addr.arpa', 'kubernetes.default.svc.east.example'),
    ],
    100,
  );
  const west = new MemoryStore();
  if (westSynced)
    west.replaceAll(
      [
        a('web.shop.svc.west.example', '10.2.0.10'),
        ptr('10.0.2.10.in-addr.arpa', 'web.shop.svc.west.example'),
        ptr('1.0.0.10.in-addr.arpa', 'kubernetes.default.svc.west.example'),
      ],
      200,
    );
  return new ClusterStores([
    { zones: ['east.example'], store: east },
    { zones: ['west.example'], store: west },
  ]);
}

/** [name, the data found, or `-` for none, or `throws`] with west synced, and without. */
const ROWS: [string, string, string][] = [
  ['web.shop.svc.east.example', '10.1.0.10', '10.1.0.10'],
  ['web.shop.svc.west.example', '10.2.0.10', 'throws'],
  ['api.shop.svc.west.example', '-', 'throws'],
  ['api.shop.svc.east.example', '-', '-'],
  ['10.0.1.10.in-addr.arpa', 'web.shop.svc.east.example', 'web.shop.svc.east.example'],
  ['10.0.2.10.in-addr.arpa', 'web.shop.svc.west.example', 'throws'],
  [
    '1.0.0.10.in-addr.arpa',
    'kubernetes.default.svc.east.example',
    'kubernetes.default.svc.east.example',
  ],
  ['30.0.2.10.in-addr.arpa', '-', 'throws'],
];

const found = (s: ClusterStores, name: string) => {
  try {
    const node = s.lookup(name);
    return node ? String(node.sets[0]!.data[0]) : '-';
  } catch {
    return 'throws';
  }
};

test('each zone from its cluster; reverse names from the first that holds them', () => {
  const synced = stores(true);
  const partly = stores(false);
  for (const [name, both, eastOnly] of ROWS) {
    assert.equal(found(synced, name), both, `${name}, both synced`);
    assert.equal(found(partly, name), eastOnly, `${name}, west not synced`);
  }
  assert.equal(synced.synced, true);
  assert.equal(partly.synced, false);
  assert.equal(synced.size, 6);
  assert.equal(synced.serial(), 200);
  assert.equal([...synced.names()].length, 6);
});

test('the DoH scope: cluster zones name namespaces and their cluster', () => {
  const scope = clusterScope(
    {
      kubernetes: { zones: ['cluster.local', 'in-addr.arpa'] } as never,
      clusters: [
        { zones: ['east.example'], name: 'east', inCluster: false, snapshots: ['e.json'] },
        { zones: ['west.example', 'ip6.arpa'], inCluster: true, snapshots: [] },
      ],
    },
    'own',
  );
  assert.deepEqual(scope.kubernetesZones, [
    'cluster.local',
    'in-addr.arpa',
    'east.example',
    'west.example',
  ]);
  for (const [name, cluster] of [
    ['web.shop.svc.east.example', 'east'],
    ['web.shop.svc.west.example', undefined],
    ['web.shop.svc.cluster.local', 'own'],
    ['1.0.0.10.in-addr.arpa', 'own'],
  ] as const)
    assert.equal(scope.clusterOf(name), cluster, name);
});
