// Server blocks and plugin chains (docs/architecture.md §7): a query goes to the block of its
// longest matching zone; `kubernetes` with `fallthrough` passes names it lacks to the next plugin;
// `forward` takes what its zones cover; a chain that nobody answers ends in SERVFAIL; no block:
// REFUSED.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { resolve } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { chainOf, type Plugin, type PluginQuery } from './plugin.ts';
import { emptySections } from './sections.ts';
import { zonePlugin } from './zone-plugin.ts';
import { forwardPlugin } from './forward-plugin.ts';
import type { Forwarder } from './forwarder.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const store = new MemoryStore();
store.replaceAll(
  nodesFromText([
    'svc.cluster.local. ENT',
    'web.shop.svc.cluster.local. 5 IN A 10.0.0.1',
    '1.0.0.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.',
  ]),
  1,
);
const zones = ['cluster.local', 'in-addr.arpa'].map((z) => kubernetesZone(z, 5));

/** A forwarder for `.` answering every A question with 192.0.2.1. */
const upstream: Forwarder = {
  handles: () => true,
  forward: async (q) => ({
    ...emptySections('NOERROR'),
    answers: [{ name: q.name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
  }),
};
/** A plugin that answers a TXT naming the zone of its block, for the names it is given. */
const marker =
  (label: string): Plugin =>
  async (q: PluginQuery) => ({
    ...emptySections('NOERROR', true),
    answers: [{ name: q.name, type: 'TXT', class: 'IN', ttl: 1, data: [`${label} ${q.zone}`] }],
  });
const k8s = (fallthrough?: string[]) =>
  zonePlugin({ ctx: () => ({ store, zones }), ...(fallthrough && { fallthrough }) });
const end = () => Promise.resolve(emptySections('SERVFAIL'));
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const rcodeOf = (reply: dnsPacket.DecodedPacket) => RCODES[reply.flags! & 0xf];

const blocks = [
  // cluster.local in-addr.arpa { kubernetes { fallthrough in-addr.arpa } ; <marker> }
  {
    zones: ['cluster.local', 'in-addr.arpa'],
    next: chainOf([k8s(['in-addr.arpa']), marker('after-kubernetes')], end),
  },
  // . { forward . upstream }
  { zones: [''], next: chainOf([forwardPlugin(() => upstream)], end) },
  // example.org { } : no plugin answers
  { zones: ['example.org'], next: chainOf([], end) },
];

const cases: [question: string, rcode: string, answers: string[]][] = [
  ['web.shop.svc.cluster.local A', 'NOERROR', ['web.shop.svc.cluster.local. 5 IN A 10.0.0.1']],
  // NXDOMAIN in cluster.local: no fallthrough there.
  ['gone.shop.svc.cluster.local A', 'NXDOMAIN', []],
  [
    '1.0.0.10.in-addr.arpa PTR',
    'NOERROR',
    ['1.0.0.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.'],
  ],
  // A reverse name kubernetes lacks falls through to the next plugin of the same block.
  [
    '9.9.9.10.in-addr.arpa PTR',
    'NOERROR',
    ['9.9.9.10.in-addr.arpa. 1 IN TXT "after-kubernetes in-addr.arpa"'],
  ],
  ['www.example.com A', 'NOERROR', ['www.example.com. 60 IN A 192.0.2.1']],
  // example.org is its own block: the `.` block's forward never sees it.
  ['www.example.org A', 'SERVFAIL', []],
];

for (const [question, rcode, answers] of cases) {
  test(`blocks: ${question} -> ${rcode}`, async () => {
    const [name, type] = question.split(' ');
    const query = dnsPacket.encode({
      id: 7,
      type: 'query',
      questions: [{ name: name!, type: type as 'A', class: 'IN' }],
    });
    const reply = dnsPacket.decode((await resolve(query, 'udp', { store, zones, blocks }))!);
    assert.equal(rcodeOf(reply), rcode);
    assert.deepEqual(reply.answers?.map(toPresentation), answers);
  });
}

test('blocks: no block for the name -> REFUSED', async () => {
  const only = [blocks[0]!];
  const query = dnsPacket.encode({
    id: 7,
    type: 'query',
    questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }],
  });
  const reply = dnsPacket.decode((await resolve(query, 'udp', { store, zones, blocks: only }))!);
  assert.equal(rcodeOf(reply), 'REFUSED');
});
