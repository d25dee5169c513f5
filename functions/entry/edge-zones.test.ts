import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { hostsItem, recordIndex, zoneItem } from '../store/dynamodb/codec-record-items.ts';
import { edgeZoneBlocks } from './edge-zones.ts';
import { parseZoneFile } from '../../sync/zonefile/parse-zone-file.ts';
import { hostsNodesFromText } from '../../sync/hosts/hosts-nodes.ts';
import { toPresentation } from '../../test/support/presentation.ts';

/** A store of `nodes`; names in `failing` cannot be read. */
function storeOf(nodes: NameNode[], failing: string[] = []): Store & { reads: string[] } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const reads: string[] = [];
  return {
    reads,
    lookup(name) {
      reads.push(name);
      if (failing.includes(name)) throw new StoreUnavailableError(`${name}: unreadable`);
      return byName.get(name);
    },
    serial: () => 1,
    version: 0,
  };
}

const q = (name: string, type = 'A'): PluginQuery => ({
  name,
  type,
  class: 'IN',
  flags: { cd: false, do: false },
  transport: 'https',
  zone: '',
});
/** What the Kubernetes names answer here: a mark, so tests see the question reach it. */
const last = async () => emptySections('YXDOMAIN');
const ask = (store: Store, name: string, type?: string) =>
  edgeZoneBlocks(store, last)[0]!.next(q(name, type));

const zone = zoneItem(
  'example.org',
  parseZoneFile('@ 60 SOA ns hostmaster 1 1 1 1 60\n@ 60 NS ns\nns 60 A 192.0.2.1', {
    file: 'db.example.org',
    origin: 'example.org',
  }),
);
const hostsOptions = { zones: ['hosts.test'], ttl: 60, reverse: true };
const hosts = hostsItem(0, hostsNodesFromText('192.0.2.7 a.hosts.test', hostsOptions), []);
const index = recordIndex([
  {
    kind: 'hosts',
    item: '.hosts/0',
    zones: ['hosts.test'],
    fallthrough: [],
    fallthroughUnsupported: false,
  },
  { kind: 'file', origin: 'example.org' },
]);

test('no index, or an index never read and unreadable: the Kubernetes names answer', async () => {
  assert.equal((await ask(storeOf([]), 'ns.example.org')).rcode, 'YXDOMAIN');
  assert.equal((await ask(storeOf([], ['.records']), 'ns.example.org')).rcode, 'YXDOMAIN');
});

test('hosts, then the file zones, then the rest; each item read through the store', async () => {
  const store = storeOf([index, zone, hosts]);
  assert.deepEqual((await ask(store, 'a.hosts.test')).answers.map(toPresentation), [
    'a.hosts.test. 60 IN A 192.0.2.7',
  ]);
  assert.equal((await ask(store, 'b.hosts.test')).rcode, 'YXDOMAIN', 'hosts falls through');
  assert.deepEqual((await ask(store, 'ns.example.org')).answers.map(toPresentation), [
    'ns.example.org. 60 IN A 192.0.2.1',
  ]);
  assert.equal((await ask(store, 'nope.example.org')).rcode, 'NXDOMAIN');
  assert.equal((await ask(store, 'kubernetes.default.svc.cluster.local')).rcode, 'YXDOMAIN');
  assert.deepEqual(new Set(store.reads), new Set(['.records', '.hosts/0', '.zone/example.org']));
});

test('a listed item that is missing or unreadable throws (SERVFAIL), never NXDOMAIN', async () => {
  await assert.rejects(ask(storeOf([index, hosts]), 'nope.example.org'), StoreUnavailableError);
  await assert.rejects(
    ask(storeOf([index, hosts, zone], ['.zone/example.org']), 'nope.example.org'),
    StoreUnavailableError,
  );
});
