import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import {
  DO_BIT,
  TYPE_NAMES,
  isDenial,
  queryFacts,
  rcodeLabel,
  rcodeName,
  replyRcode,
  typeIndex,
  typeLabel,
} from './message-labels.ts';

const opt = (flags = 0, extendedRcode = 0) =>
  ({ type: 'OPT', name: '.', udpPayloadSize: 1232, flags, extendedRcode }) as unknown as Answer;

const query = (name: string, type: string, more: Partial<Packet> = {}) =>
  dnsPacket.encode({
    type: 'query',
    id: 7,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    ...more,
  });

/** A one-question query without additionals, its type set to a number dns-packet has no name for. */
const typed = (wire: Buffer, qtype: number) => (wire.writeUInt16BE(qtype, wire.length - 4), wire);

/** A query as presentation-ish text -> the type label and DO, or "no question". */
const facts = (wire: Uint8Array) => {
  const f = queryFacts(wire);
  return f < 0 ? 'no question' : `${TYPE_NAMES[typeIndex(f & 0xffff)]}${f & DO_BIT ? ' +do' : ''}`;
};

test('queryFacts: the question type as CoreDNS labels it, and the DO bit', () => {
  const table: [string, Uint8Array, string][] = [
    ['web.shop.svc.cluster.local. IN A', query('web.shop.svc.cluster.local', 'A'), 'A'],
    ['. IN NS', query('.', 'NS'), 'NS'],
    ['AAAA', query('a.example', 'AAAA'), 'AAAA'],
    ['SRV', query('_http._tcp.web.shop.svc.cluster.local', 'SRV'), 'SRV'],
    ['PTR', query('1.0.96.10.in-addr.arpa', 'PTR'), 'PTR'],
    ['TXT', query('dns-version.cluster.local', 'TXT'), 'TXT'],
    ['HTTPS (65, RFC 9460)', typed(query('a.example', 'A'), 65), 'HTTPS'],
    ['ANY', query('a.example', 'ANY'), 'ANY'],
    ['AXFR', query('cluster.local', 'AXFR'), 'AXFR'],
    ['NAPTR is not named', query('a.example', 'NAPTR'), 'other'],
    ['CAA is not named', query('a.example', 'CAA'), 'other'],
    ['EDNS without DO', query('a.example', 'A', { additionals: [opt(0)] }), 'A'],
    [
      'EDNS with DO',
      query('a.example', 'MX', { additionals: [opt(dnsPacket.DNSSEC_OK)] }),
      'MX +do',
    ],
    [
      'OPT after an answer record (UPDATE-like shape)',
      query('a.example', 'A', {
        answers: [{ name: 'x.example', type: 'A', ttl: 1, data: '192.0.2.1' }],
        additionals: [opt(dnsPacket.DNSSEC_OK)],
      }),
      'A +do',
    ],
    ['QDCOUNT 0', dnsPacket.encode({ type: 'query', id: 1, questions: [] }), 'no question'],
    [
      'QDCOUNT 2',
      dnsPacket.encode({
        type: 'query',
        id: 1,
        questions: [
          { name: 'a.example', type: 'A' },
          { name: 'b.example', type: 'A' },
        ],
      }),
      'no question',
    ],
    ['garbage', Buffer.from('this is not a DNS message at all'), 'no question'],
    ['a header only', Buffer.alloc(12), 'no question'],
    [
      'cut inside the name',
      query('web.shop.svc.cluster.local', 'A').subarray(0, 20),
      'no question',
    ],
    ['cut inside the type', query('a.example', 'A').subarray(0, 24), 'no question'],
    [
      'a compressed question name',
      Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]),
      'no question',
    ],
  ];
  for (const [what, wire, expected] of table) {
    assert.equal(facts(wire), expected, what);
    assert.equal(
      typeLabel(wire),
      expected.replace(' +do', '').replace('no question', 'other'),
      what,
    );
  }
});

const reply = (rcode: number, more: Partial<Packet> = {}) =>
  dnsPacket.encode({
    type: 'response',
    id: 7,
    flags: rcode & 0xf,
    questions: [{ name: 'a.example', type: 'A', class: 'IN' }],
    ...more,
  });

test('replyRcode and isDenial: the rcode name as CoreDNS writes it, extended bits included', () => {
  const a: Answer = { name: 'a.example', type: 'A', ttl: 5, data: '192.0.2.1' };
  const soa: Answer = {
    name: 'example',
    type: 'SOA',
    ttl: 5,
    data: {
      mname: 'ns.example',
      rname: 'h.example',
      serial: 1,
      refresh: 1,
      retry: 1,
      expire: 1,
      minimum: 5,
    },
  };
  const table: [string, Uint8Array, string, boolean][] = [
    ['NOERROR with an answer', reply(0, { answers: [a] }), 'NOERROR', false],
    ['NODATA', reply(0, { authorities: [soa] }), 'NOERROR', true],
    ['NODATA without SOA, with OPT', reply(0, { additionals: [opt()] }), 'NOERROR', true],
    ['NXDOMAIN', reply(3, { authorities: [soa] }), 'NXDOMAIN', true],
    ['SERVFAIL', reply(2), 'SERVFAIL', true],
    ['REFUSED', reply(5), 'REFUSED', false],
    ['NOTIMP', reply(4), 'NOTIMP', false],
    ['FORMERR, no question', dnsPacket.encode({ type: 'response', flags: 1 }), 'FORMERR', false],
    ['BADVERS (RFC 6891 §6.1.3)', reply(0, { additionals: [opt(0, 1)] }), 'BADSIG', false],
    [
      'an OPT after an answer: its upper bits count too',
      reply(0, { answers: [a], additionals: [opt(0, 1)] }),
      'BADSIG',
      false,
    ],
    [
      'BADCOOKIE (23, RFC 7873): header 7, OPT 1',
      reply(7, { authorities: [soa], additionals: [opt(0, 1)] }),
      'BADCOOKIE',
      false,
    ],
    ['YXDOMAIN without OPT', reply(6), 'YXDOMAIN', false],
  ];
  for (const [what, wire, name, denial] of table) {
    const rcode = replyRcode(wire);
    assert.equal(rcodeName(rcode), name, what);
    assert.equal(rcodeLabel(wire), name, what);
    assert.equal(isDenial(wire, rcode), denial, `${what}: denial`);
  }
});

test('rcodeName: miekg/dns RcodeToString, as CoreDNS logs and counts them', () => {
  const table: [number, string][] = [
    [0, 'NOERROR'],
    [3, 'NXDOMAIN'],
    [11, 'DSOTYPENI'],
    [12, '12'],
    [16, 'BADSIG'],
    [17, 'BADKEY'],
    [22, 'BADTRUNC'],
    [23, 'BADCOOKIE'],
    [24, '24'],
    [4095, '4095'],
  ];
  for (const [rcode, name] of table) assert.equal(rcodeName(rcode), name, String(rcode));
});
