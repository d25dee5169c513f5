// replyMismatch: a reply is accepted only when it answers our query (RFC 5452 §9.1): ID, QR,
// opcode, one question with our name (case-insensitive unless exactCase), type and class; the
// QDCOUNT 0 exceptions (record-less FORMERR/NOTIMP, TC) are accepted, every other one is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import fc from 'fast-check';
import { isTruncated, queryShape, replyMismatch, type Mismatch } from './reply-check.ts';

const ID = 0x4d2b;
const NAME = 'Www.Example.COM';
const query = dnsPacket.encode({
  type: 'query',
  id: ID,
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ name: NAME, type: 'AAAA', class: 'IN' }],
});
const shape = queryShape(query);
const aaaa: Answer = { type: 'AAAA', name: NAME, ttl: 60, data: '2001:db8::1' };
const soa: Answer = {
  type: 'SOA',
  name: 'example.com',
  ttl: 60,
  data: {
    mname: 'ns.example.com',
    rname: 'h.example.com',
    serial: 1,
    refresh: 1,
    retry: 1,
    expire: 1,
    minimum: 30,
  },
};
const opt = {
  type: 'OPT',
  name: '.',
  udpPayloadSize: 1232,
  extendedRcode: 0,
  ednsVersion: 0,
  flags: 0,
} as unknown as Answer;

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

function reply(
  over: Partial<Packet> & { rcode?: keyof typeof RCODE; opcode?: number } = {},
): Buffer {
  const { rcode = 'NOERROR', opcode = 0, ...packet } = over;
  return dnsPacket.encode({
    type: 'response',
    id: ID,
    flags:
      dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | RCODE[rcode] | (opcode << 11),
    questions: [{ name: NAME, type: 'AAAA', class: 'IN' }],
    answers: [aaaa],
    ...packet,
  });
}

/** `bytes` with the byte at `at` replaced. */
function poke(bytes: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = value;
  return copy;
}

const noQuestion = { questions: [], answers: [] };

const cases: { name: string; reply: Buffer; exactCase?: boolean; want: Mismatch | undefined }[] = [
  { name: 'the matching reply', reply: reply(), want: undefined },
  {
    name: 'the name in another case (RFC 1035 §2.3.3)',
    reply: reply({ questions: [{ name: 'www.EXAMPLE.com', type: 'AAAA', class: 'IN' }] }),
    want: undefined,
  },
  {
    name: 'another case, exactCase (0x20)',
    reply: reply({ questions: [{ name: 'www.EXAMPLE.com', type: 'AAAA', class: 'IN' }] }),
    exactCase: true,
    want: 'name',
  },
  { name: 'the exact case, exactCase', reply: reply(), exactCase: true, want: undefined },
  {
    name: 'NXDOMAIN with an SOA',
    reply: reply({ rcode: 'NXDOMAIN', answers: [], authorities: [soa] }),
    want: undefined,
  },
  {
    name: 'SERVFAIL echoing the question',
    reply: reply({ rcode: 'SERVFAIL', answers: [] }),
    want: undefined,
  },
  { name: 'another ID', reply: reply({ id: ID ^ 1 }), want: 'id' },
  {
    name: 'QR clear (a query, not a reply)',
    reply: poke(reply(), 2, reply()[2]! & 0x7f),
    want: 'not-response',
  },
  { name: 'another opcode (STATUS)', reply: reply({ opcode: 2 }), want: 'opcode' },
  {
    name: 'another name',
    reply: reply({ questions: [{ name: 'www.example.net', type: 'AAAA', class: 'IN' }] }),
    want: 'name',
  },
  {
    name: 'a name one label longer',
    reply: reply({ questions: [{ name: 'a.www.example.com', type: 'AAAA', class: 'IN' }] }),
    want: 'name',
  },
  {
    name: 'another type',
    reply: reply({ questions: [{ name: NAME, type: 'A', class: 'IN' }] }),
    want: 'type',
  },
  {
    name: 'another class',
    reply: reply({ questions: [{ name: NAME, type: 'AAAA', class: 'CH' }] }),
    want: 'class',
  },
  {
    name: 'two questions',
    reply: reply({
      questions: [
        { name: NAME, type: 'AAAA', class: 'IN' },
        { name: NAME, type: 'A', class: 'IN' },
      ],
    }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, NOERROR with an answer',
    reply: reply({ questions: [] }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, NXDOMAIN without records',
    reply: reply({ ...noQuestion, rcode: 'NXDOMAIN' }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, SERVFAIL without records',
    reply: reply({ ...noQuestion, rcode: 'SERVFAIL' }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, FORMERR without records',
    reply: reply({ ...noQuestion, rcode: 'FORMERR' }),
    want: undefined,
  },
  {
    name: 'QDCOUNT 0, FORMERR with an OPT',
    reply: reply({ ...noQuestion, rcode: 'FORMERR', additionals: [opt] }),
    want: undefined,
  },
  {
    name: 'QDCOUNT 0, NOTIMP without records',
    reply: reply({ ...noQuestion, rcode: 'NOTIMP' }),
    want: undefined,
  },
  {
    name: 'QDCOUNT 0, FORMERR carrying an answer',
    reply: reply({ questions: [], rcode: 'FORMERR' }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, FORMERR carrying an authority',
    reply: reply({ ...noQuestion, rcode: 'FORMERR', authorities: [soa] }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, FORMERR with two additionals',
    reply: reply({ ...noQuestion, rcode: 'FORMERR', additionals: [opt, aaaa] }),
    want: 'question-count',
  },
  {
    name: 'QDCOUNT 0, TC without records (retry over TCP)',
    reply: reply({ ...noQuestion, flags: dnsPacket.TRUNCATED_RESPONSE }),
    want: undefined,
  },
  {
    name: 'QDCOUNT 0, TC with an answer',
    reply: reply({ questions: [], flags: dnsPacket.TRUNCATED_RESPONSE }),
    want: 'question-count',
  },
  { name: 'shorter than a header', reply: reply().subarray(0, 11), want: 'short' },
  { name: 'the question cut in its name', reply: reply().subarray(0, 12 + 5), want: 'question' },
  {
    name: 'the question cut before its class',
    reply: reply().subarray(0, 12 + shape.name.length + 3),
    want: 'question',
  },
  {
    name: 'a compression pointer as the question name',
    reply: withQuestionName(Buffer.from([0xc0, 0x0c])),
    want: 'question',
  },
  {
    name: 'an extended label type (0x40) in the name',
    reply: withQuestionName(Buffer.from([0x41, 0])),
    want: 'question',
  },
  {
    name: 'a name longer than 255 octets',
    reply: withQuestionName(
      Buffer.concat([
        ...Array.from({ length: 5 }, () => Buffer.from([63, ...Buffer.alloc(63, 0x61)])),
        Buffer.from([0]),
      ]),
    ),
    want: 'question',
  },
];

/** A reply header (QDCOUNT 1, no records) followed by `name` and type AAAA, class IN. */
function withQuestionName(name: Buffer): Buffer {
  const header = reply({ answers: [] }).subarray(0, 12);
  return Buffer.concat([header, name, Buffer.from([0, 28, 0, 1])]);
}

for (const c of cases) {
  test(`replyMismatch: ${c.name} -> ${c.want ?? 'accepted'}`, () => {
    assert.equal(replyMismatch(shape, c.reply, { exactCase: c.exactCase }), c.want);
  });
}

test('queryShape: the ID, opcode, name as sent, type and class', () => {
  assert.equal(shape.id, ID);
  assert.equal(shape.opcode, 0);
  assert.equal(shape.type, 28);
  assert.equal(shape.class, 1);
  assert.deepEqual(
    [...shape.name],
    [3, ...Buffer.from('Www'), 7, ...Buffer.from('Example'), 3, ...Buffer.from('COM'), 0],
  );
});

test('queryShape: a query without exactly one whole question is a TypeError', () => {
  const none = dnsPacket.encode({ type: 'query', id: 1, questions: [] });
  const two = dnsPacket.encode({
    type: 'query',
    id: 1,
    questions: [
      { name: 'a', type: 'A' },
      { name: 'b', type: 'A' },
    ],
  });
  for (const bad of [none, two, query.subarray(0, 12 + 4), Buffer.alloc(5)])
    assert.throws(() => queryShape(bad), TypeError);
});

test('replyMismatch: only ASCII letters fold (RFC 4343 §3): [ and {, @ and ` differ by 0x20 but are not the same', () => {
  for (const [asked, echoed, want] of [
    ['a[b.test', 'a{b.test', 'name'],
    ['a@b.test', 'a`b.test', 'name'],
    ['aZb.test', 'azb.test', undefined],
  ] as const) {
    const q = queryShape(
      dnsPacket.encode({
        type: 'query',
        id: 7,
        questions: [{ name: asked, type: 'A', class: 'IN' }],
      }),
    );
    const r = dnsPacket.encode({
      type: 'response',
      id: 7,
      questions: [{ name: echoed, type: 'A', class: 'IN' }],
    });
    assert.equal(replyMismatch(q, r), want, `${asked} vs ${echoed}`);
  }
});

test('isTruncated reads the TC bit', () => {
  assert.equal(isTruncated(reply()), false);
  assert.equal(isTruncated(reply({ flags: dnsPacket.TRUNCATED_RESPONSE })), true);
  assert.equal(isTruncated(Buffer.alloc(3, 0xff)), false);
});

test('property: random bytes never throw, and only a reply that decodes to our question is accepted', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (tail, keepHeader) => {
      const bytes = keepHeader ? Buffer.concat([reply().subarray(0, 12), tail]) : Buffer.from(tail);
      const verdict = replyMismatch(shape, bytes);
      if (verdict !== undefined) return;
      // Accepted: the header is ours and, unless it is a QDCOUNT 0 exception, the question is too.
      assert.equal(bytes.readUInt16BE(0), ID);
      if (bytes.readUInt16BE(4) === 1) {
        const q = dnsPacket.decode(onlyQuestion(bytes)).questions?.[0];
        assert.equal(q?.name.toLowerCase(), NAME.toLowerCase());
        assert.equal(q?.type, 'AAAA');
      }
    }),
    { numRuns: 2000 },
  );
});

/** The header with counts after QDCOUNT zeroed, and the question: decodable whatever follows. */
function onlyQuestion(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes.subarray(0, 12 + shape.name.length + 4));
  out.fill(0, 6, 12);
  return out;
}
