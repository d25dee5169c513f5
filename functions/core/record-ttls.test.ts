import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { recordTtls } from './record-ttls.ts';
import { encodeWithin } from './truncate.ts';

const a = (name: string, ttl: number, data = '192.0.2.1'): Answer => ({
  name,
  type: 'A',
  class: 'IN',
  ttl,
  data,
});
const soa = (ttl: number): Answer => ({
  name: 'example.com',
  type: 'SOA',
  class: 'IN',
  ttl,
  data: {
    mname: 'ns.example.com',
    rname: 'h.example.com',
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 60,
  },
});
// RFC 6891 §6.1.3: the OPT "TTL" is extended rcode, version and flags (DO set here: 0x8000).
const opt = { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0x8000 } as unknown as Answer;
const response = (p: Partial<Packet>): Packet => ({
  type: 'response',
  id: 7,
  flags: 0,
  questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }],
  ...p,
});
/** dns-packet writes names whole; encodeWithin (message-writer.ts) compresses them. */
const plain = (p: Partial<Packet>) => dnsPacket.encode(response(p));
const compressed = (p: Partial<Packet>) => encodeWithin(response(p), 65535);

/** The TTLs of the decoded message's records, OPT left out: what the offsets must point at. */
function decodedTtls(wire: Buffer): number[] {
  const d = dnsPacket.decode(wire);
  return [...d.answers!, ...d.authorities!, ...d.additionals!]
    .filter((r) => r.type !== 'OPT')
    .map((r) => (r as { ttl: number }).ttl);
}

const wellFormed: { name: string; wire: Buffer; min: number }[] = [
  { name: 'one answer', wire: plain({ answers: [a('www.example.com', 300)] }), min: 300 },
  {
    name: 'answers, smallest in the middle',
    wire: plain({
      answers: [
        a('www.example.com', 300),
        a('www.example.com', 20, '192.0.2.2'),
        a('www.example.com', 90, '192.0.2.3'),
      ],
    }),
    min: 20,
  },
  {
    name: 'NXDOMAIN (rcode 3) with SOA',
    wire: plain({ flags: 3, authorities: [soa(900)] }),
    min: 900,
  },
  {
    name: 'OPT in additional: not a TTL',
    wire: plain({ answers: [a('www.example.com', 300)], additionals: [opt] }),
    min: 300,
  },
  {
    name: 'CNAME chain, compressed',
    wire: compressed({
      answers: [
        { name: 'www.example.com', type: 'CNAME', class: 'IN', ttl: 5, data: 'web.example.com' },
        a('web.example.com', 60),
      ],
    }),
    min: 5,
  },
  {
    name: 'compressed, SOA and OPT',
    wire: compressed({ authorities: [soa(40)], additionals: [opt] }),
    min: 40,
  },
  {
    name: 'additional A after an SRV',
    wire: compressed({
      answers: [
        {
          name: 'www.example.com',
          type: 'SRV',
          class: 'IN',
          ttl: 30,
          data: { priority: 0, weight: 0, port: 443, target: 'web.example.com' },
        },
      ],
      additionals: [a('web.example.com', 10), opt],
    }),
    min: 10,
  },
  { name: 'TTL 0', wire: plain({ answers: [a('www.example.com', 0)] }), min: 0 },
  { name: 'no records', wire: plain({}), min: Number.POSITIVE_INFINITY },
  { name: 'only OPT', wire: plain({ additionals: [opt] }), min: Number.POSITIVE_INFINITY },
];

for (const c of wellFormed) {
  test(`record TTLs: ${c.name}`, () => {
    const found = recordTtls(c.wire);
    assert.ok(found);
    assert.deepEqual(
      found.offsets.map((o) => c.wire.readUInt32BE(o)),
      decodedTtls(c.wire),
      'each offset holds a TTL, in order',
    );
    assert.equal(found.minTtl, c.min);
  });
}

test('rewriting at the offsets changes every TTL and leaves the OPT (extended rcode, version, DO) alone', () => {
  const wire = compressed({
    answers: [a('www.example.com', 300), a('www.example.com', 200, '192.0.2.2')],
    authorities: [soa(900)],
    additionals: [opt],
  });
  for (const o of recordTtls(wire)!.offsets) wire.writeUInt32BE(wire.readUInt32BE(o) - 7, o);
  assert.deepEqual(decodedTtls(wire), [293, 193, 893]);
  const decoded = dnsPacket.decode(wire).additionals!.find((r) => r.type === 'OPT') as unknown as {
    flags: number;
    extendedRcode: number;
    ednsVersion: number;
  };
  assert.deepEqual([decoded.flags, decoded.extendedRcode, decoded.ednsVersion], [0x8000, 0, 0]);
});

test('a TTL with the top bit set counts as 0 (RFC 2181 §8)', () => {
  const wire = plain({ answers: [a('www.example.com', 300)] });
  const [at] = recordTtls(wire)!.offsets;
  wire.writeUInt32BE(0x80000001, at!);
  assert.equal(recordTtls(wire)!.minTtl, 0);
});

const good = compressed({ answers: [a('www.example.com', 300)], additionals: [opt] });
const edit = (f: (b: Buffer) => void) => {
  const b = Buffer.from(good);
  f(b);
  return b;
};
// The owner name of the answer is a pointer (c0 0c) right after the question (12 + 17 + 4 = 33).
const malformed: { name: string; wire: Uint8Array }[] = [
  { name: 'shorter than a header', wire: good.subarray(0, 11) },
  { name: 'cut in the question', wire: good.subarray(0, 20) },
  { name: 'cut in an RR header', wire: good.subarray(0, 40) },
  { name: 'cut in RDATA', wire: good.subarray(0, good.length - 12) },
  { name: 'trailing bytes', wire: Buffer.concat([good, Buffer.from([0])]) },
  { name: 'ANCOUNT one too many', wire: edit((b) => b.writeUInt16BE(2, 6)) },
  { name: 'ARCOUNT one too few', wire: edit((b) => b.writeUInt16BE(0, 10)) },
  { name: 'RDLENGTH past the end', wire: edit((b) => b.writeUInt16BE(200, 33 + 10)) },
  { name: 'pointer to itself', wire: edit((b) => b.writeUInt16BE(0xc000 | 33, 33)) },
  { name: 'pointer forward', wire: edit((b) => b.writeUInt16BE(0xc000 | 40, 33)) },
  { name: 'pointer into the header', wire: edit((b) => b.writeUInt16BE(0xc000 | 4, 33)) },
  { name: 'label type 01 (RFC 6891 §5)', wire: edit((b) => (b[12] = 0x41)) },
  {
    name: 'name longer than 255 bytes',
    wire: Buffer.concat([
      good.subarray(0, 12),
      Buffer.from(Array.from({ length: 5 }, () => [63, ...Array(63).fill(0x61)]).flat()),
      Buffer.from([0, 0, 1, 0, 1]),
    ]),
  },
];

for (const c of malformed) {
  test(`record TTLs: malformed, ${c.name}`, () => {
    assert.equal(recordTtls(c.wire), undefined);
  });
}

test('the malformed cases start from a message that walks', () => {
  assert.equal(good.readUInt16BE(33), 0xc00c, 'the answer owner is a pointer to the question');
  assert.deepEqual(recordTtls(good)?.offsets, [33 + 2 + 4]);
});
