// The clusterset merge: each cluster's node of one name, as one node; an unreadable cluster left
// out while another holds the name, and never an NXDOMAIN from clusters that could not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { MergedStore } from './merged-store.ts';

function cluster(lines: string[]): Store {
  const store = new MemoryStore();
  store.replaceAll(nodesFromText(lines), 1);
  return store;
}
const down: Store = {
  version: 0,
  serial: () => 0,
  lookup: async () => {
    throw new StoreUnavailableError('unreadable');
  },
};
const east = cluster([
  'web.shop.svc.cluster.local. 5 IN A 10.1.0.5',
  '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  'alias.shop.svc.cluster.local. 5 IN CNAME db.example.com.',
]);
const west = cluster([
  'web.shop.svc.cluster.local. 30 IN A 10.2.0.5',
  'web.shop.svc.cluster.local. 30 IN A 10.1.0.5',
  '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  'alias.shop.svc.cluster.local. 5 IN A 10.2.0.9',
]);

const rows: [title: string, stores: Store[], name: string, want: unknown][] = [
  [
    'addresses joined, duplicates dropped, the lowest TTL',
    [east, west],
    'web.shop.svc.cluster.local',
    {
      name: 'web.shop.svc.cluster.local',
      sets: [{ type: 'A', ttl: 5, data: ['10.1.0.5', '10.2.0.5'] }],
    },
  ],
  [
    'the same SRV from two clusters is one record',
    [east, west],
    '_http._tcp.web.shop.svc.cluster.local',
    {
      name: '_http._tcp.web.shop.svc.cluster.local',
      sets: [
        {
          type: 'SRV',
          ttl: 5,
          data: [{ priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' }],
        },
      ],
    },
  ],
  [
    'a CNAME in one cluster: the first cluster holding the name answers alone (RFC 2181 §10.1)',
    [west, east],
    'alias.shop.svc.cluster.local',
    { name: 'alias.shop.svc.cluster.local', sets: [{ type: 'A', ttl: 5, data: ['10.2.0.9'] }] },
  ],
  ['in no cluster: absent (NXDOMAIN)', [east, west], 'nope.shop.svc.cluster.local', undefined],
  [
    'an unreadable cluster is left out while another holds the name',
    [down, west],
    'alias.shop.svc.cluster.local',
    { name: 'alias.shop.svc.cluster.local', sets: [{ type: 'A', ttl: 5, data: ['10.2.0.9'] }] },
  ],
];

for (const [title, stores, name, want] of rows)
  test(title, async () => {
    assert.deepEqual(await new MergedStore(stores).lookup(name), want);
  });

test('absent from every readable cluster while one is unreadable: the lookup fails', async () => {
  await assert.rejects(
    new MergedStore([east, down]).lookup('nope.shop.svc.cluster.local'),
    StoreUnavailableError,
  );
});
