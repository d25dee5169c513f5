import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerQuestion } from './answer.ts';
import { type Sections } from './sections.ts';
import { kubernetesZone } from './zone.ts';
import type { Store } from './store.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const data = nodesFromText([
  'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
  'web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  'alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.',
  'hop.shop.svc.cluster.local. 5 IN CNAME alias.shop.svc.cluster.local.',
  'dangling.shop.svc.cluster.local. 5 IN CNAME gone.shop.svc.cluster.local.',
  'loop-a.shop.svc.cluster.local. 5 IN CNAME loop-b.shop.svc.cluster.local.',
  'loop-b.shop.svc.cluster.local. 5 IN CNAME loop-a.shop.svc.cluster.local.',
  'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.',
  'shop.svc.cluster.local. ENT',
  'shop.pod.cluster.local. SYNTH dashed-ip',
  '5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.',
  'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
]);

const SOA =
  'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5';
const REV_SOA =
  'in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1700000000 7200 1800 86400 5';

type Mode = 'rfc' | 'coredns';
function context(store: Store = loaded(), cname: Mode = 'rfc') {
  return {
    store,
    zones: [
      { ...kubernetesZone('cluster.local', 5, ['10.96.0.10']), cname },
      { ...kubernetesZone('in-addr.arpa', 5), cname },
    ],
  };
}
function loaded(): MemoryStore {
  const store = new MemoryStore();
  store.replaceAll(data, 1700000000);
  return store;
}
const text = (s: Sections) => ({
  rcode: s.rcode,
  answer: s.answers.map(toPresentation),
  authority: s.authorities.map(toPresentation),
  additional: s.additionals.map(toPresentation),
});

interface Expect {
  rcode: string;
  answer?: string[];
  authority?: string[];
  additional?: string[];
}
/** `coredns`: where a 'coredns' zone answers otherwise (plugin/backend_lookup.go CNAME handling). */
const cases: (Expect & { q: string; coredns?: Expect })[] = [
  {
    q: 'web.shop.svc.cluster.local A',
    rcode: 'NOERROR',
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.0.5'],
  },
  {
    q: 'WEB.Shop.svc.cluster.local A',
    rcode: 'NOERROR',
    answer: ['WEB.Shop.svc.cluster.local. 5 IN A 10.96.0.5'],
  },
  { q: 'web.shop.svc.cluster.local AAAA', rcode: 'NOERROR', authority: [SOA] },
  { q: 'nope.shop.svc.cluster.local A', rcode: 'NXDOMAIN', authority: [SOA] },
  { q: 'shop.svc.cluster.local A', rcode: 'NOERROR', authority: [SOA] },
  {
    q: '_http._tcp.web.shop.svc.cluster.local SRV',
    rcode: 'NOERROR',
    answer: [
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
    ],
    additional: ['web.shop.svc.cluster.local. 5 IN A 10.96.0.5'],
  },
  // RFC 1034 §3.6.2: CNAME chains are followed inside our data.
  {
    q: 'hop.shop.svc.cluster.local A',
    rcode: 'NOERROR',
    answer: [
      'hop.shop.svc.cluster.local. 5 IN CNAME alias.shop.svc.cluster.local.',
      'alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.',
      'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
    ],
  },
  {
    q: 'alias.shop.svc.cluster.local CNAME',
    rcode: 'NOERROR',
    answer: ['alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.'],
  },
  // RFC 6604 §3: the rcode is that of the last name in the chain.
  // CoreDNS adds a CNAME only when its in-zone target has records: NODATA instead.
  {
    q: 'dangling.shop.svc.cluster.local A',
    rcode: 'NXDOMAIN',
    answer: ['dangling.shop.svc.cluster.local. 5 IN CNAME gone.shop.svc.cluster.local.'],
    authority: [SOA],
    coredns: { rcode: 'NOERROR', authority: [SOA] },
  },
  {
    q: 'loop-a.shop.svc.cluster.local A',
    rcode: 'NOERROR',
    answer: [
      'loop-a.shop.svc.cluster.local. 5 IN CNAME loop-b.shop.svc.cluster.local.',
      'loop-b.shop.svc.cluster.local. 5 IN CNAME loop-a.shop.svc.cluster.local.',
    ],
    coredns: { rcode: 'NOERROR', authority: [SOA] },
  },
  // CoreDNS follows a CNAME for A, AAAA and TXT only; SRV and the rest get NODATA.
  {
    q: 'alias.shop.svc.cluster.local SRV',
    rcode: 'NOERROR',
    answer: [
      'alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.',
      'web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
    ],
    additional: ['web.shop.svc.cluster.local. 5 IN A 10.96.0.5'],
    coredns: { rcode: 'NOERROR', authority: [SOA] },
  },
  {
    q: 'alias.shop.svc.cluster.local AAAA',
    rcode: 'NOERROR',
    answer: ['alias.shop.svc.cluster.local. 5 IN CNAME web.shop.svc.cluster.local.'],
    authority: [SOA],
    coredns: { rcode: 'NOERROR', authority: [SOA] },
  },
  // Out-of-zone target: the CNAME alone (no forwarder configured).
  {
    q: 'billing.shop.svc.cluster.local A',
    rcode: 'NOERROR',
    answer: ['billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'],
  },
  { q: 'cluster.local SOA', rcode: 'NOERROR', answer: [SOA] },
  {
    q: 'cluster.local NS',
    rcode: 'NOERROR',
    answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'],
    additional: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'],
  },
  { q: 'cluster.local A', rcode: 'NOERROR', authority: [SOA] },
  {
    q: 'ns.dns.cluster.local A',
    rcode: 'NOERROR',
    answer: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'],
  },
  // RFC 8482 §4.1: ANY gets one RRset.
  {
    q: 'web.shop.svc.cluster.local ANY',
    rcode: 'NOERROR',
    answer: ['web.shop.svc.cluster.local. 5 IN A 10.96.0.5'],
  },
  { q: 'shop.svc.cluster.local ANY', rcode: 'NOERROR', authority: [SOA] },
  {
    q: 'dns-version.cluster.local TXT',
    rcode: 'NOERROR',
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },
  // Dashed-IP synthesis under a node marked for it (CoreDNS `pods insecure`).
  {
    q: '10-244-1-5.shop.pod.cluster.local A',
    rcode: 'NOERROR',
    answer: ['10-244-1-5.shop.pod.cluster.local. 5 IN A 10.244.1.5'],
  },
  {
    q: 'fd00-10-244--5.shop.pod.cluster.local AAAA',
    rcode: 'NOERROR',
    answer: ['fd00-10-244--5.shop.pod.cluster.local. 5 IN AAAA fd00:10:244::5'],
  },
  { q: '10-244-1-5.shop.pod.cluster.local AAAA', rcode: 'NOERROR', authority: [SOA] },
  { q: '10-244-1-999.shop.pod.cluster.local A', rcode: 'NXDOMAIN', authority: [SOA] },
  { q: '10-244-1-5.other.pod.cluster.local A', rcode: 'NXDOMAIN', authority: [SOA] },
  {
    q: '5.0.96.10.in-addr.arpa PTR',
    rcode: 'NOERROR',
    answer: ['5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.'],
  },
  { q: '6.0.96.10.in-addr.arpa PTR', rcode: 'NXDOMAIN', authority: [REV_SOA] },
  { q: 'example.com A', rcode: 'REFUSED' },
  { q: 'local A', rcode: 'REFUSED' },
];

for (const mode of ['rfc', 'coredns'] as const) {
  for (const c of cases) {
    const want = (mode === 'coredns' && c.coredns) || c;
    test(`${mode}: ${c.q} -> ${want.rcode}`, async () => {
      const [name, type] = c.q.split(' ') as [string, string];
      const got = text(await answerQuestion(name, type, context(loaded(), mode)));
      assert.deepEqual(got, {
        rcode: want.rcode,
        answer: want.answer ?? [],
        authority: want.authority ?? [],
        additional: want.additional ?? [],
      });
    });
  }
}

test('a store that cannot be read gives SERVFAIL, never NXDOMAIN', async () => {
  const notSynced = new MemoryStore();
  const got = await answerQuestion('nope.shop.svc.cluster.local', 'A', context(notSynced));
  assert.equal(got.rcode, 'SERVFAIL');
  const failing: Store = {
    lookup: () => Promise.reject(new Error('down')),
    serial: () => 1,
    version: 0,
  };
  assert.equal(
    (await answerQuestion('web.shop.svc.cluster.local', 'A', context(failing))).rcode,
    'SERVFAIL',
  );
});

test('authoritative answers set AA; REFUSED does not', async () => {
  assert.equal((await answerQuestion('web.shop.svc.cluster.local', 'A', context())).aa, true);
  assert.equal((await answerQuestion('example.com', 'A', context())).aa, false);
});
