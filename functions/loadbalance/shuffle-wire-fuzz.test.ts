// shuffleWire fuzzed: never a throw on any bytes (random, or real replies with bytes flipped), and
// a real reply, compressed or not, still decodes to the same records, each owner and type in its
// place: only the order within runs changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import fc from 'fast-check';
import { encodeWithin } from '../core/truncate.ts';
import { shuffleWire } from './shuffle-wire.ts';

const records = fc.oneof(
  fc.record({ type: fc.constant('A' as const), data: fc.ipV4() }),
  fc.record({
    type: fc.constant('AAAA' as const),
    data: fc.constantFrom('fd00::1', 'fd00::2', '2001:db8::9'),
  }),
  fc.record({ type: fc.constant('CNAME' as const), data: fc.constantFrom('a.test', 'b.test') }),
  fc.record({
    type: fc.constant('MX' as const),
    data: fc.record({
      preference: fc.nat(65535),
      exchange: fc.constantFrom('a.test', 'mx.b.test', 'b.test'),
    }),
  }),
  fc.record({ type: fc.constant('TXT' as const), data: fc.string({ maxLength: 20 }) }),
);
const answer = fc
  .tuple(fc.constantFrom('a.test', 'b.test', 'B.test'), fc.nat(300), records)
  .map(([name, ttl, r]) => ({ name, ttl, class: 'IN', ...r }) as Answer);
const reply = fc.record({
  answers: fc.array(answer, { maxLength: 12 }),
  additionals: fc.array(answer, { maxLength: 3 }),
  rcode: fc.constantFrom(0, 0, 0, 3),
  compressed: fc.boolean(),
});
const draws = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
  minLength: 1,
  maxLength: 20,
});
const cycle = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};
const sorted = (rrs: Answer[] | undefined) => (rrs ?? []).map((r) => JSON.stringify(r)).sort();

test('a real reply still decodes: the same records, each owner and type in its place', () => {
  fc.assert(
    fc.property(reply, draws, (r, values) => {
      const p: Packet = {
        type: 'response',
        id: 1,
        flags: r.rcode,
        questions: [{ name: 'a.test', type: 'A', class: 'IN' }],
        answers: r.answers,
        additionals: r.additionals,
      };
      const wire = r.compressed ? encodeWithin(p, 65535) : dnsPacket.encode(p);
      const before = dnsPacket.decode(Buffer.from(wire));
      shuffleWire(wire, cycle(values));
      const after = dnsPacket.decode(Buffer.from(wire));
      assert.deepEqual({ ...after, answers: [] }, { ...before, answers: [] });
      assert.deepEqual(sorted(after.answers), sorted(before.answers));
      const places = (x: Packet) => (x.answers ?? []).map((a) => `${a.name} ${a.type}`);
      assert.deepEqual(places(after), places(before));
    }),
    { numRuns: 500 },
  );
});

test('never throws on any bytes, nor reads or writes past them', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 700 }), draws, (bytes, values) => {
      const copy = Uint8Array.from(bytes);
      shuffleWire(copy, cycle(values));
      assert.equal(copy.length, bytes.length);
    }),
    { numRuns: 2000 },
  );
  // real replies with bytes flipped: past the header checks, into the walk
  fc.assert(
    fc.property(
      reply,
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
      draws,
      (r, flips, values) => {
        const p: Packet = {
          type: 'response',
          id: 1,
          flags: 0,
          questions: [{ name: 'a.test', type: 'A', class: 'IN' }],
          answers: r.answers,
        };
        const wire = r.compressed ? encodeWithin(p, 65535) : dnsPacket.encode(p);
        for (const [at, value] of flips) wire[at % wire.length] = value;
        shuffleWire(wire, cycle(values));
      },
    ),
    { numRuns: 1000 },
  );
  shuffleWire(new Uint8Array(0), Math.random);
  const two: Packet = {
    type: 'response',
    questions: [{ name: 'w.test', type: 'A', class: 'IN' }],
    answers: ['10.0.0.1', '10.0.0.2'].map((data) => ({ name: 'w.test', type: 'A', ttl: 5, data })),
  };
  shuffleWire(encodeWithin(two, 512), () => NaN);
});
