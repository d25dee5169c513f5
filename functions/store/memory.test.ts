import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from './memory.ts';
import { StoreUnavailableError } from '../core/store.ts';
import { nodesFromText } from '../../test/support/records.ts';

const nodes = nodesFromText([
  'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
  'web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
  'shop.svc.cluster.local. ENT',
  'shop.pod.cluster.local. SYNTH dashed-ip',
]);

test('not synced: every lookup throws, so the resolver answers SERVFAIL', () => {
  assert.throws(
    () => new MemoryStore().lookup('web.shop.svc.cluster.local'),
    StoreUnavailableError,
  );
});

test('nodes come back as they went in', () => {
  const a = new MemoryStore();
  a.replaceAll(nodes, 10);
  for (const store of [a]) {
    for (const node of nodes) assert.deepEqual(store.lookup(node.name), node);
    assert.equal(store.lookup('nope.cluster.local'), undefined);
    assert.equal(store.size, nodes.length);
  }
});

test('changes move the version and the serial forward, even when the clock does not', () => {
  const store = new MemoryStore();
  store.replaceAll(nodes, 100);
  const before = store.version;
  store.apply(
    {
      put: nodesFromText(['api.shop.svc.cluster.local. 5 IN A 10.96.0.6']),
      delete: ['web.shop.svc.cluster.local'],
    },
    100,
  );
  assert.ok(store.version > before);
  assert.equal(store.serial(), 101);
  assert.equal(store.lookup('web.shop.svc.cluster.local'), undefined);
  assert.deepEqual(store.lookup('api.shop.svc.cluster.local')?.sets, [
    { type: 'A', ttl: 5, data: ['10.96.0.6'] },
  ]);
});

test('many updates: dead bytes are compacted away and every live node still reads back', () => {
  const store = new MemoryStore();
  store.replaceAll([], 1);
  const live = new Map<string, string>();
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 40; i++) {
      const name = `s${(round * 7 + i) % 97}.ns.svc.cluster.local`;
      const address = `10.0.${round}.${i}`;
      store.apply({ put: nodesFromText([`${name}. 5 IN A ${address}`]), delete: [] }, 1);
      live.set(name, address);
    }
    const gone = `s${round % 97}.ns.svc.cluster.local`;
    store.apply({ put: [], delete: [gone] }, 1);
    live.delete(gone);
  }
  assert.equal(store.size, live.size);
  for (const [name, address] of live)
    assert.deepEqual(store.lookup(name)?.sets, [{ type: 'A', ttl: 5, data: [address] }]);
});
