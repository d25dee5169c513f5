// The resolver with a forwarder (design.md "Resolution rules": outside our zones, forward when
// configured; issue 5: CNAME targets that leave our zones). The forwarder here is a table of
// upstream answers written in the test; the real forwarders are tested in test/forward-*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { resolve, resolveNow } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { AnswerCache } from './answer-cache.ts';
import { emptySections, type Sections } from './answer.ts';
import type { ForwardFlags, ForwardQuestion, Forwarder } from './forwarder.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;
const RA = dnsPacket.RECURSION_AVAILABLE;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;

const store = new MemoryStore();
store.replaceAll(
  nodesFromText([
    'svc.cluster.local. ENT',
    'shop.svc.cluster.local. ENT',
    'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.',
    'gone.shop.svc.cluster.local. 5 IN CNAME gone.example.com.',
    'broken.shop.svc.cluster.local. 5 IN CNAME broken.example.com.',
  ]),
  7,
);
const zones = [kubernetesZone('cluster.local', 5)];

const rr = (name: string, data: string, ttl = 300): Answer => ({ name, type: 'A', class: 'IN', ttl, data });
const soa: Answer = { name: 'example.com', type: 'SOA', class: 'IN', ttl: 900, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } };
/** What the upstream answers, by name. */
const upstream: Record<string, Sections> = {
  'billing.example.com': { ...emptySections('NOERROR'), answers: [rr('billing.example.com', '127.0.0.7')] },
  'www.example.com': { ...emptySections('NOERROR'), answers: [rr('www.example.com', '127.0.0.8')], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as unknown as Answer] },
  'gone.example.com': { ...emptySections('NXDOMAIN'), authorities: [soa] },
  'missing.example.com': { ...emptySections('NXDOMAIN'), authorities: [soa] },
  'broken.example.com': emptySections('SERVFAIL'),
};

function forwarder(handles: (name: string) => boolean): Forwarder & { asked: [ForwardQuestion, ForwardFlags][] } {
  const asked: [ForwardQuestion, ForwardFlags][] = [];
  return {
    asked,
    handles,
    async forward(question, flags) {
      asked.push([question, flags]);
      return structuredClone(upstream[question.name] ?? emptySections('SERVFAIL'));
    },
  };
}

const query = (name: string, o: { flags?: number; opt?: number } = {}) =>
  dnsPacket.encode({ type: 'query', id: 9, flags: o.flags ?? RD, questions: [{ name, type: 'A', class: 'IN' }], additionals: o.opt === undefined ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: o.opt } as unknown as Answer] });

const everything = () => true;
const stubOnly = (name: string) => name === 'example.com' || name.endsWith('.example.com');

const cases: { q: string; handles?: (name: string) => boolean; rcode: string; aa: boolean; answer: string[]; authority?: string[] }[] = [
  { q: 'www.example.com', rcode: 'REFUSED', aa: false, answer: [] }, // no forwarder: never an open resolver
  { q: 'www.example.com', handles: everything, rcode: 'NOERROR', aa: false, answer: ['www.example.com. 300 IN A 127.0.0.8'] },
  { q: 'WWW.Example.com', handles: everything, rcode: 'NOERROR', aa: false, answer: ['WWW.Example.com. 300 IN A 127.0.0.8'] }, // 0x20 echoed
  { q: 'missing.example.com', handles: everything, rcode: 'NXDOMAIN', aa: false, answer: [], authority: ['example.com. 900 IN SOA ns.example.com. h.example.com. 1 1 1 1 60'] },
  { q: 'www.example.org', handles: stubOnly, rcode: 'REFUSED', aa: false, answer: [] }, // a stub zone forwards only its names
  { q: 'www.example.com', handles: stubOnly, rcode: 'NOERROR', aa: false, answer: ['www.example.com. 300 IN A 127.0.0.8'] },
  // ExternalName: our CNAME (authoritative), then the upstream's answer for its target.
  { q: 'billing.shop.svc.cluster.local', rcode: 'NOERROR', aa: true, answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'] },
  { q: 'billing.shop.svc.cluster.local', handles: everything, rcode: 'NOERROR', aa: true, answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.', 'billing.example.com. 300 IN A 127.0.0.7'] },
  // RFC 6604 §3: the rcode is the last name's.
  { q: 'gone.shop.svc.cluster.local', handles: everything, rcode: 'NXDOMAIN', aa: true, answer: ['gone.shop.svc.cluster.local. 5 IN CNAME gone.example.com.'], authority: ['example.com. 900 IN SOA ns.example.com. h.example.com. 1 1 1 1 60'] },
  { q: 'broken.shop.svc.cluster.local', handles: everything, rcode: 'SERVFAIL', aa: true, answer: ['broken.shop.svc.cluster.local. 5 IN CNAME broken.example.com.'] },
];

for (const c of cases) {
  test(`${c.q} A, ${c.handles === undefined ? 'no forwarder' : c.handles === everything ? 'forward .' : 'forward example.com'}: ${c.rcode}`, async () => {
    const forward = c.handles && forwarder(c.handles);
    const reply = dnsPacket.decode((await resolve(query(c.q), 'udp', { store, zones, ...(forward && { forward }) }))!);
    assert.equal(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][reply.flags! & 0xf], c.rcode);
    assert.equal((reply.flags! & AA) !== 0, c.aa, 'AA');
    assert.equal((reply.flags! & RA) !== 0, forward !== undefined, 'RA set exactly when a forwarder is configured');
    assert.deepEqual(reply.answers!.map(toPresentation), c.answer);
    assert.deepEqual(reply.authorities!.map(toPresentation), c.authority ?? []);
  });
}

test('the upstream OPT is not passed on; ours is (RFC 6891 §6.1.1)', async () => {
  const reply = dnsPacket.decode((await resolve(query('www.example.com', { opt: 0 }), 'udp', { store, zones, forward: forwarder(everything) }))!);
  const opts = reply.additionals!.filter((r) => r.type === 'OPT') as unknown as { udpPayloadSize: number }[];
  assert.deepEqual(opts.map((o) => o.udpPayloadSize), [1232]);
});

test('CD and DO reach the forwarder (RFC 4035 §3.2)', async () => {
  const forward = forwarder(everything);
  await resolve(query('www.example.com', { flags: RD | CD, opt: 0x8000 }), 'udp', { store, zones, forward });
  await resolve(query('www.example.com'), 'udp', { store, zones, forward });
  assert.deepEqual(forward.asked.map(([, f]) => f), [{ cd: true, do: true }, { cd: false, do: false }]);
  assert.deepEqual(forward.asked[0]![0], { name: 'www.example.com', type: 'A', class: 'IN' });
});

test('forwarded answers never enter the answer cache (their TTLs age; the forward cache keeps them)', async () => {
  const forward = forwarder(everything);
  const ctx = { store, zones, forward, answerCache: new AnswerCache() };
  for (const name of ['www.example.com', 'billing.shop.svc.cluster.local', 'www.example.com', 'billing.shop.svc.cluster.local']) await resolveNow(query(name), 'udp', ctx);
  assert.equal(forward.asked.length, 4);
});

test('a query the forwarder sent that comes back to us is answered SERVFAIL, not forwarded again', async () => {
  const forward = { ...forwarder(everything), isLoop: (id: number, q: ForwardQuestion) => id === 9 && q.name === 'www.example.com' };
  const reply = dnsPacket.decode((await resolve(query('WWW.example.com'), 'udp', { store, zones, forward }))!);
  assert.equal(reply.flags! & 0xf, 2, 'SERVFAIL');
  assert.equal(forward.asked.length, 0);
});
