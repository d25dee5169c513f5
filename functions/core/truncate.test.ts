// encodeWithin: a response in at most `limit` bytes (RFC 1035 §4.2.1, RFC 2181 §9, RFC 6891 §7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import fc from 'fast-check';
import { encodeWithin, TC } from './truncate.ts';

/** One record from presentation format: `owner. TTL IN TYPE RDATA` (A, AAAA, CNAME, PTR, NS, SRV, TXT). */
function rr(line: string): Answer {
  const [owner, ttl, , type, ...rdata] = line.trim().split(/\s+/) as [string, string, string, string, ...string[]];
  const base = { name: owner.replace(/\.$/, ''), ttl: Number(ttl), class: 'IN' as const };
  const bare = (n: string) => n.replace(/\.$/, '');
  switch (type) {
    case 'SRV': {
      const [priority, weight, port, target] = rdata as [string, string, string, string];
      return { ...base, type, data: { priority: +priority, weight: +weight, port: +port, target: bare(target) } };
    }
    case 'TXT':
      return { ...base, type, data: rdata.map((s) => s.replace(/^"|"$/g, '')) };
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return { ...base, type, data: bare(rdata[0] as string) };
    default:
      return { ...base, type: type as 'A' | 'AAAA', data: rdata[0] as string };
  }
}

const opt = (size = 1232): Answer => ({ type: 'OPT', name: '.', udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0 }) as unknown as Answer;
const soa = rr('cluster.local. 5 IN A 10.0.0.0'); // stands in for an authority record: only its size matters
const question = { name: 'svc.ns.svc.cluster.local', type: 'A' as const, class: 'IN' as const };
const aRecords = (n: number) => Array.from({ length: n }, (_, i) => rr(`headless-service-name.namespace.svc.cluster.local. 5 IN A 10.0.${i >> 8}.${i & 0xff}`));

function response(answers: Answer[], authorities: Answer[] = [], additionals: Answer[] = []): Packet {
  return { id: 4242, type: 'response', flags: dnsPacket.RECURSION_DESIRED, questions: [question], answers, authorities, additionals };
}

/** The decoded response with every section present. */
function decoded(wire: Buffer) {
  const p = dnsPacket.decode(wire);
  return { ...p, flags: p.flags ?? 0, answers: p.answers ?? [], authorities: p.authorities ?? [], additionals: p.additionals ?? [] };
}

const answerLength = (a: Answer) => (dnsPacket as unknown as { answer: { encodingLength(a: Answer): number } }).answer.encodingLength(a);

test('encodeWithin', async (t) => {
  const full = response(aRecords(20), [soa], [...aRecords(3), opt()]);
  const fullSize = dnsPacket.encodingLength(full);
  const lean = dnsPacket.encodingLength({ ...full, additionals: [opt()] });
  const cases: { name: string; packet: Packet; limit: number; answers: number; authorities: number; additionals: string[]; tc: boolean }[] = [
    { name: 'fits: unchanged', packet: full, limit: 65535, answers: 20, authorities: 1, additionals: ['A', 'A', 'A', 'OPT'], tc: false },
    { name: 'fits exactly at the limit', packet: full, limit: fullSize, answers: 20, authorities: 1, additionals: ['A', 'A', 'A', 'OPT'], tc: false },
    { name: 'one byte over: drops the additional section but keeps OPT, no TC', packet: full, limit: fullSize - 1, answers: 20, authorities: 1, additionals: ['OPT'], tc: false },
    { name: 'lean fits exactly', packet: full, limit: lean, answers: 20, authorities: 1, additionals: ['OPT'], tc: false },
    // 12 header + 30 question + 11 OPT = 53; each A answer 63 bytes: (512 - 53) / 63 = 7.
    { name: 'lean too big: TC with the answers that fit, no authority', packet: full, limit: 512, answers: 7, authorities: 0, additionals: ['OPT'], tc: true },
    { name: 'no EDNS: TC, nothing in additional', packet: response(aRecords(20), [soa], aRecords(2)), limit: 512, answers: 7, authorities: 0, additionals: [], tc: true },
    { name: 'first answer too big: TC with no answers', packet: response([rr(`big.cluster.local. 5 IN TXT "${'x'.repeat(250)}" "${'y'.repeat(250)}"`)]), limit: 512, answers: 0, authorities: 0, additionals: [], tc: true },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const out = encodeWithin(structuredClone(c.packet), c.limit);
      assert.ok(out.length <= c.limit, `${out.length} > ${c.limit}`);
      const got = decoded(out);
      assert.equal(got.id, 4242);
      assert.equal(got.type, 'response');
      assert.equal(!!(got.flags & TC), c.tc);
      assert.ok(got.flags & dnsPacket.RECURSION_DESIRED, 'other flags kept');
      assert.deepEqual(got.questions, [question]);
      assert.equal(got.answers.length, c.answers);
      assert.deepEqual(got.answers.map((a) => a.name), (c.packet.answers ?? []).slice(0, c.answers).map((a) => a.name));
      assert.equal(got.authorities.length, c.authorities);
      assert.deepEqual(got.additionals.map((a) => a.type), c.additionals);
      if (c.tc) {
        const next = c.packet.answers?.[c.answers];
        if (next) assert.ok(out.length + answerLength(next) > c.limit, 'the next answer would not have fit');
      }
    });
  }
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const owner = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('.')}.svc.cluster.local`);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const record: fc.Arbitrary<Answer> = fc.oneof(
  fc.record({ name: owner, ttl: fc.nat(3600), a: ipv4 }).map(({ name, ttl, a }) => rr(`${name}. ${ttl} IN A ${a}`)),
  fc.record({ name: owner, ttl: fc.nat(3600), g: fc.nat(0xffff) }).map(({ name, ttl, g }) => rr(`${name}. ${ttl} IN AAAA fd00::${g.toString(16)}`)),
  fc.record({ name: owner, target: owner, port: fc.nat(0xffff) }).map(({ name, target, port }) => rr(`${name}. 5 IN SRV 0 100 ${port} ${target}.`)),
  fc.record({ name: owner, target: owner }).map(({ name, target }) => rr(`${name}. 5 IN CNAME ${target}.`)),
  fc
    .record({ name: owner, parts: fc.array(fc.stringMatching(/^[a-z0-9=]{0,255}$/), { minLength: 1, maxLength: 4 }) })
    .map(({ name, parts }) => ({ name, ttl: 5, class: 'IN', type: 'TXT', data: parts }) as Answer),
);

test('encodeWithin never exceeds the limit and keeps a maximal prefix of the answers (property)', () => {
  const packet = fc.record({
    answers: fc.array(record, { maxLength: 300 }),
    authorities: fc.array(record, { maxLength: 3 }),
    additionals: fc.array(record, { maxLength: 20 }),
    edns: fc.boolean(),
  });
  fc.assert(
    fc.property(packet, fc.integer({ min: 512, max: 65535 }), ({ answers, authorities, additionals, edns }, limit) => {
      const input = response(answers, authorities, edns ? [...additionals, opt()] : additionals);
      const wholeSize = dnsPacket.encodingLength(input);
      const out = encodeWithin(structuredClone(input), limit);
      assert.ok(out.length <= limit, `${out.length} bytes > limit ${limit}`);
      const got = decoded(out);
      const tc = !!(got.flags & TC);
      if (wholeSize <= limit) {
        assert.ok(out.equals(dnsPacket.encode(structuredClone(input))), 'a response that fits is unchanged');
        return;
      }
      assert.deepEqual(got.additionals.map((a) => a.type), edns ? ['OPT'] : [], 'only OPT stays in additional');
      if (!tc) {
        assert.equal(got.answers.length, answers.length);
        assert.equal(got.authorities.length, authorities.length);
        return;
      }
      assert.equal(got.authorities.length, 0);
      const kept = got.answers.length;
      assert.deepEqual(got.answers.map((a) => a.name), answers.slice(0, kept).map((a) => a.name), 'answers are a prefix');
      const next = answers[kept];
      // Every answer kept: TC stands for the authority section that did not fit (RFC 2181 §9).
      if (!next) assert.ok(authorities.length > 0, 'TC set although nothing was left out');
      else assert.ok(out.length + answerLength(next) > limit, 'the next answer would have fit');
    }),
    { seed: 20240601, numRuns: 300 },
  );
});
