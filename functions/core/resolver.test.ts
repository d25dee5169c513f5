// resolve(): query bytes -> response bytes. The header rules of RFC 1035 §4.1.1, EDNS(0) of
// RFC 6891, and the failure answers of docs/architecture.md §6.7 (errors are answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { resolve, type Transport } from './resolver.ts';
import { kubernetesZone } from './zone.ts';
import { MemoryStore } from '../store/memory.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const RD = dnsPacket.RECURSION_DESIRED;
const CD = dnsPacket.CHECKING_DISABLED;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const TC = dnsPacket.TRUNCATED_RESPONSE;
const QR = 0x8000;
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

const big = Array.from(
  { length: 100 },
  (_, i) => `big.shop.svc.cluster.local. 5 IN A 10.244.${i >> 8}.${i & 0xff}`,
);
const synced = new MemoryStore();
synced.replaceAll(
  nodesFromText([
    'svc.cluster.local. ENT',
    'default.svc.cluster.local. ENT',
    'shop.svc.cluster.local. ENT',
    'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
    '1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.',
    ...big,
  ]),
  7,
);
const zones = [kubernetesZone('cluster.local', 5), kubernetesZone('in-addr.arpa', 5)];
const ctx = { store: synced, zones };
const unsynced = { store: new MemoryStore(), zones };

type Opt = { udpPayloadSize?: number; ednsVersion?: number; flags?: number };
const optRecord = (o: Opt = {}): Answer =>
  ({
    type: 'OPT',
    name: '.',
    udpPayloadSize: o.udpPayloadSize ?? 1232,
    extendedRcode: 0,
    ednsVersion: o.ednsVersion ?? 0,
    flags: o.flags ?? 0,
  }) as unknown as Answer;

/** A query in wire format; `opt` adds an OPT record (or several). */
function query(
  name: string,
  type = 'A',
  o: { id?: number; flags?: number; qclass?: string; opts?: Opt[] } = {},
): Buffer {
  const packet: Packet = {
    type: 'query',
    id: o.id ?? 0x1234,
    flags: o.flags ?? RD,
    questions: [{ name, type: type as 'A', class: (o.qclass ?? 'IN') as 'IN' }],
    additionals: (o.opts ?? []).map(optRecord),
  };
  return dnsPacket.encode(packet);
}

/** `bytes` with the 16-bit header word at `offset` replaced. */
function withWord(bytes: Buffer, offset: number, value: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt16BE(value, offset);
  return out;
}

const plain = query('kubernetes.default.svc.cluster.local');
const undecodable = Buffer.concat([plain.subarray(0, 12), Buffer.from([0x40, 0x61, 0])]); // label type 01: reserved

interface Expect {
  rcode?: string;
  id?: number;
  /** Header bits that must be set / clear. */
  set?: number;
  clear?: number;
  opcode?: number;
  questions?: string[];
  answers?: string[];
  /** EDNS in the answer: undefined = not checked; null = no OPT. */
  opt?: { udpPayloadSize: number; extendedRcode: number } | null;
  maxLength?: number;
  answerCount?: number;
}

interface Case {
  name: string;
  query: Buffer;
  transport?: Transport;
  ctx?: typeof ctx;
  /** null: nothing is sent back. */
  expect: Expect | null;
}

const question = (name: string, type = 'A', qclass = 'IN') => `${name}. ${qclass} ${type}`;
const questionText = (q: { name: string; type: string; class?: string }) =>
  question(q.name, q.type, q.class ?? 'IN');

const cases: Case[] = [
  { name: 'shorter than a header: dropped', query: Buffer.alloc(11), expect: null },
  { name: 'empty: dropped', query: Buffer.alloc(0), expect: null },
  { name: 'QR=1 (a response): dropped', query: withWord(plain, 2, QR | RD), expect: null },
  {
    name: 'undecodable: FORMERR, ID and RD echoed',
    query: withWord(undecodable, 0, 0xbeef),
    expect: { rcode: 'FORMERR', id: 0xbeef, set: QR | RD, questions: [] },
  },
  {
    name: 'header only with QDCOUNT 1: FORMERR',
    query: withWord(plain.subarray(0, 12), 4, 1),
    expect: { rcode: 'FORMERR', id: 0x1234 },
  },
  {
    name: 'ANCOUNT set high: FORMERR',
    query: withWord(plain, 6, 0xffff),
    expect: { rcode: 'FORMERR', id: 0x1234 },
  },
  {
    name: 'QDCOUNT 0: FORMERR',
    query: withWord(plain.subarray(0, 12), 4, 0),
    expect: { rcode: 'FORMERR', questions: [] },
  },
  {
    name: 'QDCOUNT 2: FORMERR',
    query: dnsPacket.encode({
      type: 'query',
      id: 0x1234,
      flags: RD,
      questions: [
        { name: 'a.cluster.local', type: 'A' },
        { name: 'b.cluster.local', type: 'A' },
      ],
    }),
    expect: { rcode: 'FORMERR', id: 0x1234 },
  },
  {
    name: 'two OPT records: FORMERR (RFC 6891 §6.1.1)',
    query: query('kubernetes.default.svc.cluster.local', 'A', { opts: [{}, {}] }),
    expect: { rcode: 'FORMERR' },
  },
  {
    name: 'EDNS version 1: BADVERS, extended rcode 1 in our OPT (RFC 6891 §6.1.3)',
    query: query('kubernetes.default.svc.cluster.local', 'A', { opts: [{ ednsVersion: 1 }] }),
    expect: {
      rcode: 'NOERROR',
      opt: { udpPayloadSize: 1232, extendedRcode: 1 },
      answers: [],
      questions: [question('kubernetes.default.svc.cluster.local')],
    },
  },
  {
    name: 'EDNS answer advertises 1232',
    query: query('kubernetes.default.svc.cluster.local', 'A', { opts: [{ udpPayloadSize: 4096 }] }),
    expect: {
      rcode: 'NOERROR',
      opt: { udpPayloadSize: 1232, extendedRcode: 0 },
      answers: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
    },
  },
  { name: 'no EDNS in, none out', query: plain, expect: { rcode: 'NOERROR', opt: null } },
  // The 100 A records take about 1.7 KB even compressed: truncated over UDP, whole over TCP.
  {
    name: 'UDP without EDNS: at most 512 bytes, TC',
    query: query('big.shop.svc.cluster.local'),
    expect: { rcode: 'NOERROR', set: TC, maxLength: 512 },
  },
  {
    name: 'UDP with EDNS 4096: at most 1232 bytes',
    query: query('big.shop.svc.cluster.local', 'A', { opts: [{ udpPayloadSize: 4096 }] }),
    expect: { set: TC, maxLength: 1232 },
  },
  {
    name: 'UDP with EDNS 800: at most 800 bytes',
    query: query('big.shop.svc.cluster.local', 'A', { opts: [{ udpPayloadSize: 800 }] }),
    expect: { set: TC, maxLength: 800 },
  },
  {
    name: 'UDP with EDNS 100: treated as 512 (RFC 6891 §6.2.3)',
    query: query('big.shop.svc.cluster.local', 'A', { opts: [{ udpPayloadSize: 100 }] }),
    expect: { set: TC, maxLength: 512 },
  },
  {
    name: 'TCP: every answer, no TC',
    query: query('big.shop.svc.cluster.local'),
    transport: 'tcp',
    expect: { rcode: 'NOERROR', clear: TC, answerCount: 100 },
  },
  {
    name: 'outside the zones: REFUSED',
    query: query('example.com'),
    expect: { rcode: 'REFUSED', clear: AA, answers: [], questions: [question('example.com')] },
  },
  { name: 'the root: REFUSED', query: query('.', 'NS'), expect: { rcode: 'REFUSED', answers: [] } },
  {
    name: 'class CH: REFUSED',
    query: query('version.bind', 'TXT', { qclass: 'CH' }),
    expect: { rcode: 'REFUSED', questions: [question('version.bind', 'TXT', 'CH')] },
  },
  {
    name: 'class CH inside our zone: REFUSED',
    query: query('kubernetes.default.svc.cluster.local', 'A', { qclass: 'CH' }),
    expect: { rcode: 'REFUSED', answers: [] },
  },
  {
    name: 'AXFR: REFUSED',
    query: query('cluster.local', 'AXFR'),
    transport: 'tcp',
    expect: { rcode: 'REFUSED', answers: [] },
  },
  {
    name: 'IXFR: REFUSED',
    query: query('cluster.local', 'IXFR'),
    transport: 'tcp',
    expect: { rcode: 'REFUSED', answers: [] },
  },
  {
    name: 'store not synced: SERVFAIL',
    query: query('kubernetes.default.svc.cluster.local'),
    ctx: unsynced,
    expect: { rcode: 'SERVFAIL', answers: [] },
  },
  {
    name: 'store not synced, name absent: SERVFAIL, never NXDOMAIN',
    query: query('nope.default.svc.cluster.local'),
    ctx: unsynced,
    expect: { rcode: 'SERVFAIL', answers: [] },
  },
  {
    name: 'store not synced, reverse zone: SERVFAIL',
    query: query('1.0.96.10.in-addr.arpa', 'PTR'),
    ctx: unsynced,
    expect: { rcode: 'SERVFAIL' },
  },
  {
    name: 'RD=1 copied',
    query: query('kubernetes.default.svc.cluster.local', 'A', { flags: RD }),
    expect: { set: RD, clear: CD },
  },
  {
    name: 'RD=0 copied',
    query: query('kubernetes.default.svc.cluster.local', 'A', { flags: 0 }),
    expect: { clear: RD | CD },
  },
  {
    name: 'CD copied',
    query: query('kubernetes.default.svc.cluster.local', 'A', { flags: CD }),
    expect: { set: CD, clear: RD },
  },
  {
    name: 'RD and CD copied on FORMERR',
    query: withWord(undecodable, 2, RD | CD),
    expect: { rcode: 'FORMERR', set: RD | CD },
  },
  { name: 'AA on a positive answer', query: plain, expect: { rcode: 'NOERROR', set: AA | QR } },
  {
    name: 'AA on NXDOMAIN',
    query: query('nope.default.svc.cluster.local'),
    expect: { rcode: 'NXDOMAIN', set: AA },
  },
  {
    name: 'AA on NODATA',
    query: query('kubernetes.default.svc.cluster.local', 'TXT'),
    expect: { rcode: 'NOERROR', set: AA, answers: [] },
  },
  {
    name: 'AA on a PTR answer',
    query: query('1.0.96.10.in-addr.arpa', 'PTR'),
    expect: {
      set: AA,
      answers: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
    },
  },
  {
    name: "the question's case is echoed (0x20)",
    query: query('KuBeRnEtEs.Default.SVC.cluster.LOCAL'),
    expect: {
      rcode: 'NOERROR',
      questions: [question('KuBeRnEtEs.Default.SVC.cluster.LOCAL')],
      answers: ['KuBeRnEtEs.Default.SVC.cluster.LOCAL. 5 IN A 10.96.0.1'],
    },
  },
  {
    name: 'ID echoed',
    query: withWord(plain, 0, 0xffff),
    expect: { id: 0xffff, rcode: 'NOERROR' },
  },
];

for (let opcode = 1; opcode <= 15; opcode++) {
  cases.push({
    name: `opcode ${opcode}: NOTIMP with the question echoed`,
    query: query('kubernetes.default.svc.cluster.local', 'A', {
      flags: RD | (opcode << 11),
      id: 0x4000 + opcode,
    }),
    expect: {
      rcode: 'NOTIMP',
      id: 0x4000 + opcode,
      opcode,
      answers: [],
      questions: [question('kubernetes.default.svc.cluster.local')],
    },
  });
}

function check(c: Case, wire: Buffer | null): void {
  if (c.expect === null) return assert.equal(wire, null);
  assert.ok(wire, 'a response');
  const e = c.expect;
  const got: DecodedPacket = dnsPacket.decode(wire);
  const flags = wire.readUInt16BE(2);
  assert.ok(flags & QR, 'QR set');
  assert.equal(got.id, e.id ?? c.query.readUInt16BE(0), 'ID echoed');
  if (e.rcode) assert.equal(RCODES[flags & 0xf], e.rcode, 'rcode');
  if (e.set)
    assert.equal(
      flags & e.set,
      e.set,
      `bits ${e.set.toString(16)} set (flags ${flags.toString(16)})`,
    );
  if (e.clear)
    assert.equal(
      flags & e.clear,
      0,
      `bits ${e.clear.toString(16)} clear (flags ${flags.toString(16)})`,
    );
  assert.equal((flags >> 11) & 0xf, e.opcode ?? 0, 'opcode');
  if (e.questions) assert.deepEqual((got.questions ?? []).map(questionText), e.questions);
  if (e.answers) assert.deepEqual((got.answers ?? []).map(toPresentation), e.answers);
  if (e.answerCount !== undefined) assert.equal(got.answers?.length, e.answerCount);
  if (e.maxLength) assert.ok(wire.length <= e.maxLength, `${wire.length} > ${e.maxLength}`);
  if (e.opt !== undefined) {
    const opts = (got.additionals ?? []).filter((rr) => rr.type === 'OPT') as unknown as {
      udpPayloadSize: number;
      extendedRcode: number;
      ednsVersion: number;
    }[];
    if (e.opt === null) assert.equal(opts.length, 0, 'no OPT');
    else {
      assert.equal(opts.length, 1, 'one OPT');
      assert.equal(opts[0]?.udpPayloadSize, e.opt.udpPayloadSize);
      assert.equal(opts[0]?.extendedRcode, e.opt.extendedRcode);
      assert.equal(opts[0]?.ednsVersion, 0);
    }
  }
}

test('resolve', async (t) => {
  for (const c of cases) {
    await t.test(c.name, async () =>
      check(c, await resolve(c.query, c.transport ?? 'udp', c.ctx ?? ctx)),
    );
  }
});

test('resolve never throws and always echoes the ID, for every truncation of valid queries', async () => {
  const queries = [
    plain,
    query('big.shop.svc.cluster.local', 'A', { opts: [{ udpPayloadSize: 4096 }] }),
    query('1.0.96.10.in-addr.arpa', 'PTR'),
  ];
  for (const q of queries) {
    for (let end = 0; end <= q.length; end++) {
      const wire = await resolve(q.subarray(0, end), 'udp', ctx);
      if (end < 12) assert.equal(wire, null, `${end} bytes`);
      else assert.equal(wire?.readUInt16BE(0), q.readUInt16BE(0), `${end} bytes`);
    }
  }
});

/** A query whose name is given as raw labels (any octets, RFC 2181 §11). */
function rawQuery(labels: Buffer[]): Buffer {
  const name = Buffer.concat([
    ...labels.flatMap((l) => [Buffer.from([l.length]), l]),
    Buffer.from([0]),
  ]);
  return Buffer.concat([
    Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
    name,
    Buffer.from([0, 1, 0, 1]),
  ]);
}

// RFC 1035 §4.1.1/§7.3 and RFC 2181 §11: a label may hold any octet, and the answer carries the
// question as asked; resolvers drop answers whose question differs from theirs.
test('the question is echoed byte for byte, whatever octets its labels hold', async (t) => {
  const zone = [Buffer.from('cluster'), Buffer.from('local')];
  const cases: { name: string; labels: Buffer[] }[] = [
    { name: 'a 63-octet label of 0xff', labels: [Buffer.alloc(63, 0xff), ...zone] },
    { name: 'one octet 0xc3 (not UTF-8)', labels: [Buffer.from([0xc3]), ...zone] },
    { name: "a label holding '.'", labels: [Buffer.from('a.b'), ...zone] },
    { name: "a label that is '.'", labels: [Buffer.from('.'), ...zone] },
    { name: 'outside the zones, not UTF-8', labels: [Buffer.from([0xe9]), Buffer.from('example')] },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const q = rawQuery(c.labels);
      const wire = await resolve(q, 'udp', ctx);
      assert.ok(wire);
      assert.doesNotThrow(() => dnsPacket.decode(wire), 'the response decodes');
      assert.equal(
        wire.subarray(12, q.length).toString('hex'),
        q.subarray(12).toString('hex'),
        'question section as asked',
      );
    });
  }
});

// RFC 1035 §3.1 / RFC 4343 §2.1: a label is a length and octets; a '.' octet inside a label is
// data, not a separator. `kubernetes\.default.svc.cluster.local` (4 labels) is not
// `kubernetes.default.svc.cluster.local` (5 labels): CoreDNS answers NXDOMAIN (no such namespace).
test('a label holding a dot is not two labels: NXDOMAIN, not the records of another name', async () => {
  const q = rawQuery([
    Buffer.from('kubernetes.default'),
    Buffer.from('svc'),
    Buffer.from('cluster'),
    Buffer.from('local'),
  ]);
  const wire = await resolve(q, 'udp', ctx);
  assert.ok(wire);
  assert.equal(RCODES[wire.readUInt16BE(2) & 0xf], 'NXDOMAIN');
  assert.equal(wire.readUInt16BE(6), 0, 'no answer records');
});

test('nested zones: a negative answer carries the SOA of the longest zone holding the name', async () => {
  const nested = {
    store: synced,
    zones: [kubernetesZone('in-addr.arpa', 5), kubernetesZone('96.10.in-addr.arpa', 30)],
  };
  const cases: [string, string, string][] = [
    // name, rcode, authority (RFC 2308 §3: the SOA of the zone the name is in; TTL = min(TTL, MINIMUM))
    [
      '9.9.96.10.in-addr.arpa',
      'NXDOMAIN',
      '96.10.in-addr.arpa. 30 IN SOA ns.dns.96.10.in-addr.arpa. hostmaster.96.10.in-addr.arpa.',
    ],
    [
      '9.9.97.10.in-addr.arpa',
      'NXDOMAIN',
      'in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa.',
    ],
    ['1.0.96.10.in-addr.arpa', 'NOERROR', ''],
  ];
  for (const [name, rcode, soa] of cases) {
    const wire = await resolve(query(name, 'PTR'), 'udp', nested);
    assert.ok(wire);
    const out = dnsPacket.decode(wire) as DecodedPacket;
    assert.equal(RCODES[out.flags! & 0xf], rcode, name);
    const authority = (out.authorities ?? []).map((a) =>
      toPresentation(a).split(' ').slice(0, 6).join(' '),
    );
    assert.deepEqual(authority, soa ? [soa] : [], name);
  }
});

test('onError: a store that fails is told with the question and its error; the reply is SERVFAIL', async () => {
  const told: string[] = [];
  const query = dnsPacket.encode({
    type: 'query',
    id: 7,
    flags: RD,
    questions: [{ name: 'Kubernetes.default.svc.cluster.local', type: 'A', class: 'IN' }],
  });
  const reply = await resolve(query, 'udp', {
    ...unsynced,
    onError: (q, error) => told.push(`${q.name} ${q.type}: ${(error as Error).message}`),
  });
  assert.equal(RCODES[reply![3]! & 0xf], 'SERVFAIL');
  assert.deepEqual(told, ['Kubernetes.default.svc.cluster.local A: store not synced yet']);
  await resolve(query, 'udp', { ...ctx, onError: () => told.push('answered') });
  assert.equal(told.length, 1, 'not told of an answer');
});
