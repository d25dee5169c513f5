import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authoritativeAnswer } from './authoritative-answer.ts';
import { ZoneData } from './zone-data.ts';
import { parseZoneFile } from '../../sync/zonefile/parse-zone-file.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const zone = new ZoneData(
  'example.org',
  parseZoneFile(
    [
      '$TTL 3600',
      '@ SOA ns1 hostmaster 1 7200 1800 1209600 300',
      '@ NS ns1',
      '@ MX 10 mail',
      '@ MX 20 ns.sub',
      'ns1 A 192.0.2.1',
      'mail A 192.0.2.3',
      'mail AAAA 2001:db8::3',
      'www A 192.0.2.10',
      'www TXT "hello"',
      'alias CNAME www',
      'out CNAME www.example.net.',
      'loop CNAME loop',
      'host.ent A 192.0.2.30',
      '*.wild A 192.0.2.40',
      'x.y.wild A 192.0.2.41',
      'sub NS ns.sub',
      'ns.sub A 192.0.2.50',
      'to-sub CNAME a.sub',
      'dn DNAME example.net.',
      'in DNAME wild',
    ].join('\n'),
    { file: 'db.example.org', origin: 'example.org' },
  ),
);
const zoneFor = (name: string) =>
  name === 'example.org' || name.endsWith('.example.org') ? zone : undefined;

const SOA =
  'example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 1800 1209600 300';
const NS = 'example.org. 3600 IN NS ns1.example.org.';
const GLUE = 'ns1.example.org. 3600 IN A 192.0.2.1';
const REFERRAL = ['sub.example.org. 3600 IN NS ns.sub.example.org.'];
const SUB_GLUE = ['ns.sub.example.org. 3600 IN A 192.0.2.50'];

/** `q`: name type [class]; the reply as rcode, AA and sections in presentation format. */
const cases: {
  q: string;
  rcode?: string;
  aa?: boolean;
  an?: string[];
  ns?: string[];
  ar?: string[];
}[] = [
  // Positive answers carry the apex NS and its addresses (NSD, minimal-responses off).
  { q: 'WWW.example.org A', an: ['WWW.example.org. 3600 IN A 192.0.2.10'], ns: [NS], ar: [GLUE] },
  // MX targets' addresses, A before AAAA; a target below a delegation is glue, left out.
  {
    q: 'example.org MX',
    an: [
      'example.org. 3600 IN MX 10 mail.example.org.',
      'example.org. 3600 IN MX 20 ns.sub.example.org.',
    ],
    ns: [NS],
    ar: [
      'mail.example.org. 3600 IN A 192.0.2.3',
      GLUE,
      'mail.example.org. 3600 IN AAAA 2001:db8::3',
    ],
  },
  // The NS RRset answered is not repeated in authority.
  { q: 'example.org NS', an: [NS], ar: [GLUE] },
  // NODATA and NXDOMAIN: the SOA with TTL min(TTL, MINIMUM) (RFC 2308 §3).
  { q: 'www.example.org AAAA', ns: [SOA] },
  { q: 'nope.example.org A', rcode: 'NXDOMAIN', ns: [SOA] },
  { q: 'ent.example.org A', ns: [SOA] }, // an empty non-terminal exists (RFC 8020)
  // CNAME chains: followed in the zone, ended outside it, stopped at a loop.
  {
    q: 'alias.example.org A',
    an: [
      'alias.example.org. 3600 IN CNAME www.example.org.',
      'www.example.org. 3600 IN A 192.0.2.10',
    ],
    ns: [NS],
    ar: [GLUE],
  },
  {
    q: 'alias.example.org AAAA',
    an: ['alias.example.org. 3600 IN CNAME www.example.org.'],
    ns: [SOA],
  },
  { q: 'out.example.org A', an: ['out.example.org. 3600 IN CNAME www.example.net.'] },
  { q: 'loop.example.org A', an: ['loop.example.org. 3600 IN CNAME loop.example.org.'] },
  // Wildcards (RFC 4592): synthesized at the name asked, NODATA at a wildcard, an empty
  // non-terminal (y.wild) blocking it.
  {
    q: 'a.b.wild.example.org A',
    an: ['a.b.wild.example.org. 3600 IN A 192.0.2.40'],
    ns: [NS],
    ar: [GLUE],
  },
  { q: 'a.wild.example.org TXT', ns: [SOA] },
  { q: 'z.y.wild.example.org A', rcode: 'NXDOMAIN', ns: [SOA] },
  // Delegations (RFC 1034 §4.3.2 step 3b): a referral, AA clear; after a CNAME, AA set.
  { q: 'a.b.sub.example.org A', aa: false, ns: REFERRAL, ar: SUB_GLUE },
  { q: 'sub.example.org NS', aa: false, ns: REFERRAL, ar: SUB_GLUE },
  { q: 'sub.example.org DS', ns: [SOA] }, // DS is the parent side's (RFC 4035 §3.1.4.1)
  {
    q: 'to-sub.example.org A',
    an: ['to-sub.example.org. 3600 IN CNAME a.sub.example.org.'],
    ns: REFERRAL,
    ar: SUB_GLUE,
  },
  // DNAME (RFC 6672): the DNAME, a synthesized CNAME, then the new name; at its owner, nothing.
  {
    q: 'www.dn.example.org A',
    an: [
      'dn.example.org. 3600 IN DNAME example.net.',
      'www.dn.example.org. 3600 IN CNAME www.example.net.',
    ],
  },
  {
    q: 'x.in.example.org A',
    an: [
      'in.example.org. 3600 IN DNAME wild.example.org.',
      'x.in.example.org. 3600 IN CNAME x.wild.example.org.',
      'x.wild.example.org. 3600 IN A 192.0.2.40',
    ],
    ns: [NS],
    ar: [GLUE],
  },
  { q: 'dn.example.org A', ns: [SOA] },
  // ANY (RFC 8482 §4.1): one RRset, NSD's preferred type first, no NS in authority.
  { q: 'www.example.org ANY', an: ['www.example.org. 3600 IN A 192.0.2.10'] },
  { q: 'ent.example.org ANY', ns: [SOA] },
  // QCLASS ANY: not authoritative, no SOA or NS in authority (NSD).
  { q: 'www.example.org A ANY', aa: false, an: ['www.example.org. 3600 IN A 192.0.2.10'] },
  { q: 'nope.example.org A ANY', rcode: 'NXDOMAIN', aa: false },
];

for (const c of cases) {
  test(`file zone: ${c.q}`, () => {
    const [name, type, qclass] = c.q.split(' ') as [string, string, string?];
    const s = authoritativeAnswer(name, type, qclass ?? 'IN', zoneFor);
    assert.deepEqual(
      {
        rcode: s.rcode,
        aa: s.aa,
        an: s.answers.map(toPresentation),
        ns: s.authorities.map(toPresentation),
        ar: s.additionals.map(toPresentation),
      },
      {
        rcode: c.rcode ?? 'NOERROR',
        aa: c.aa ?? true,
        an: c.an ?? [],
        ns: c.ns ?? [],
        ar: c.ar ?? [],
      },
    );
  });
}

test('a name outside every zone held is REFUSED', () => {
  assert.equal(authoritativeAnswer('www.example.com', 'A', 'IN', zoneFor).rcode, 'REFUSED');
});
