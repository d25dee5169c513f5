// The clusterset merge (clusterset-store.ts): each exporting cluster's node of one name, as one
// node. The nodes are what the Query read returns, in the clusters' order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import { StoreUnavailableError } from '../core/store.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { ClustersetStore, type ClustersetReads } from './clusterset-store.ts';

/** Per cluster, its nodes as the sync publishes them under the clusterset zone. */
const cluster = (lines: string[]) => new Map(nodesFromText(lines).map((n) => [n.name, n]));
const east = cluster([
  'web.shop.svc.clusterset.local. 5 IN A 10.1.0.5',
  '_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local.',
  'alias.shop.svc.clusterset.local. 5 IN CNAME db.example.com.',
]);
const west = cluster([
  'web.shop.svc.clusterset.local. 30 IN A 10.2.0.5',
  'web.shop.svc.clusterset.local. 30 IN A 10.1.0.5',
  '_http._tcp.web.shop.svc.clusterset.local. 5 IN SRV 0 100 80 web.shop.svc.clusterset.local.',
  'alias.shop.svc.clusterset.local. 5 IN A 10.2.0.9',
]);

function reads(clusters: Map<string, NameNode>[]): ClustersetReads {
  return {
    version: 0,
    serial: () => 0,
    lookupAll: async (name) => clusters.flatMap((c) => c.get(name) ?? []),
  };
}

const rows: [title: string, clusters: Map<string, NameNode>[], name: string, want: unknown][] = [
  [
    'addresses joined, duplicates dropped, the lowest TTL',
    [east, west],
    'web.shop.svc.clusterset.local',
    {
      name: 'web.shop.svc.clusterset.local',
      sets: [{ type: 'A', ttl: 5, data: ['10.1.0.5', '10.2.0.5'] }],
    },
  ],
  [
    'the same SRV from two clusters is one record',
    [east, west],
    '_http._tcp.web.shop.svc.clusterset.local',
    {
      name: '_http._tcp.web.shop.svc.clusterset.local',
      sets: [
        {
          type: 'SRV',
          ttl: 5,
          data: [{ priority: 0, weight: 100, port: 80, target: 'web.shop.svc.clusterset.local' }],
        },
      ],
    },
  ],
  [
    'a CNAME in one cluster: the first cluster holding the name answers alone (RFC 2181 §10.1)',
    [west, east],
    'alias.shop.svc.clusterset.local',
    { name: 'alias.shop.svc.clusterset.local', sets: [{ type: 'A', ttl: 5, data: ['10.2.0.9'] }] },
  ],
  ['in no cluster: absent (NXDOMAIN)', [east, west], 'nope.shop.svc.clusterset.local', undefined],
];

for (const [title, clusters, name, want] of rows)
  test(title, async () => {
    assert.deepEqual(await new ClustersetStore(reads(clusters)).lookup(name), want);
  });

test('a read that fails fails the lookup (SERVFAIL, never NXDOMAIN)', async () => {
  const down: ClustersetReads = {
    version: 0,
    serial: () => 0,
    lookupAll: async () => {
      throw new StoreUnavailableError('unreadable');
    },
  };
  await assert.rejects(
    new ClustersetStore(down).lookup('web.shop.svc.clusterset.local'),
    StoreUnavailableError,
  );
});
