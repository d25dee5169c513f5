// encodeWithin: a response in at most `limit` bytes (RFC 1035 §4.2.1, RFC 2181 §9, RFC 6891 §7).
// Records are written whole or not at all: answer or authority records that do not fit set TC;
// additional records that do not fit are dropped without TC; the OPT record always stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import fc from 'fast-check';
import { encodeWithin, lostRecords, TC } from './truncate.ts';

/** One record from presentation format: `owner. TTL IN TYPE RDATA` (A, AAAA, CNAME, SRV, TXT). */
function rr(line: string): Answer {
  const [owner, ttl, , type, ...rdata] = line.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    ...string[],
  ];
  const base = { name: owner.replace(/\.$/, ''), ttl: Number(ttl), class: 'IN' as const };
  const bare = (n: string) => n.replace(/\.$/, '');
  switch (type) {
    case 'SRV': {
      const [priority, weight, port, target] = rdata as [string, string, string, string];
      return {
        ...base,
        type,
        data: { priority: +priority, weight: +weight, port: +port, target: bare(target) },
      };
    }
    case 'TXT':
      return { ...base, type, data: rdata.map((s) => s.replace(/^"|"$/g, '')) };
    case 'CNAME':
      return { ...base, type, data: bare(rdata[0] as string) };
    default:
      return { ...base, type: type as 'A' | 'AAAA', data: rdata[0] as string };
  }
}

const opt = (size = 1232): Answer =>
  ({
    type: 'OPT',
    name: '.',
    udpPayloadSize: size,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
  }) as unknown as Answer;
const question = { name: 'svc.ns.svc.cluster.local', type: 'A' as const, class: 'IN' as const };
const owner = 'headless-service-name.namespace.svc.cluster.local';
const aRecords = (n: number, name = owner) =>
  Array.from({ length: n }, (_, i) => rr(`${name}. 5 IN A 10.0.${i >> 8}.${i & 0xff}`));

function response(
  answers: Answer[],
  authorities: Answer[] = [],
  additionals: Answer[] = [],
): Packet {
  return {
    id: 4242,
    type: 'response',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
    answers,
    authorities,
    additionals,
  };
}

/** A record reduced to what must survive encoding (TXT decodes to Buffers). */
function key(r: Answer): string {
  const data = 'data' in r ? r.data : undefined;
  const text = Array.isArray(data) ? data.map((d) => d.toString()) : data;
  return `${r.name} ${r.type} ${'ttl' in r ? r.ttl : ''} ${JSON.stringify(text)}`;
}

function decoded(wire: Buffer) {
  const p = dnsPacket.decode(wire);
  return {
    ...p,
    flags: p.flags ?? 0,
    answers: p.answers ?? [],
    authorities: p.authorities ?? [],
    additionals: p.additionals ?? [],
  };
}

// Sizes with compression: header 12 + question 30 = 42. The first A at `owner` is 48 bytes (its
// first two labels, then a pointer to svc.cluster.local); every later one is 16 (pointer + 14).
// An authority A at cluster.local is 16; OPT is 11.
const SIZE = (answers: number, authorities: number, additionals: number, edns: boolean) =>
  42 + (answers ? 48 + 16 * (answers - 1) : 0) + 16 * (authorities + additionals) + (edns ? 11 : 0);

test('encodeWithin', async (t) => {
  const full = response(
    aRecords(20),
    [rr('cluster.local. 5 IN A 10.0.0.0')],
    [...aRecords(3), opt()],
  );
  const fullSize = SIZE(20, 1, 3, true);
  const big = response(
    aRecords(40),
    [rr('cluster.local. 5 IN A 10.0.0.0')],
    [...aRecords(2), opt()],
  );
  const cases: {
    name: string;
    packet: Packet;
    limit: number;
    answers: number;
    authorities: number;
    additionals: string[];
    tc: boolean;
  }[] = [
    {
      name: 'fits: every record',
      packet: full,
      limit: 65535,
      answers: 20,
      authorities: 1,
      additionals: ['A', 'A', 'A', 'OPT'],
      tc: false,
    },
    {
      name: 'fits exactly at the limit',
      packet: full,
      limit: fullSize,
      answers: 20,
      authorities: 1,
      additionals: ['A', 'A', 'A', 'OPT'],
      tc: false,
    },
    {
      name: 'one byte short: the last additional record goes, OPT stays, no TC',
      packet: full,
      limit: fullSize - 1,
      answers: 20,
      authorities: 1,
      additionals: ['A', 'A', 'OPT'],
      tc: false,
    },
    {
      name: 'no room for additional records: only OPT stays, no TC',
      packet: full,
      limit: fullSize - 48,
      answers: 20,
      authorities: 1,
      additionals: ['OPT'],
      tc: false,
    },
    {
      name: 'authority does not fit: TC, every answer kept',
      packet: full,
      limit: fullSize - 49,
      answers: 20,
      authorities: 0,
      additionals: ['OPT'],
      tc: true,
    },
    // 512 - 42 - 11 = 459 bytes for answers: 48 + 25 * 16 = 448.
    {
      name: 'answers do not fit: TC with the 26 that fit, OPT kept',
      packet: big,
      limit: 512,
      answers: 26,
      authorities: 0,
      additionals: ['OPT'],
      tc: true,
    },
    // 512 - 42 = 470: 48 + 26 * 16 = 464.
    {
      name: 'no EDNS: TC with the 27 that fit, nothing in additional',
      packet: response(aRecords(40), [], aRecords(2)),
      limit: 512,
      answers: 27,
      authorities: 0,
      additionals: [],
      tc: true,
    },
    {
      name: 'first answer too big: TC with no answers',
      packet: response([
        rr(`big.cluster.local. 5 IN TXT "${'x'.repeat(250)}" "${'y'.repeat(250)}"`),
      ]),
      limit: 512,
      answers: 0,
      authorities: 0,
      additionals: [],
      tc: true,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const out = encodeWithin(structuredClone(c.packet), c.limit);
      assert.ok(out.length <= c.limit, `${out.length} > ${c.limit}`);
      const got = decoded(out);
      assert.equal(got.id, 4242);
      assert.equal(got.type, 'response');
      assert.equal(!!(got.flags & TC), c.tc, 'TC');
      assert.ok(got.flags & dnsPacket.RECURSION_DESIRED, 'other flags kept');
      assert.deepEqual(got.questions, [question]);
      assert.deepEqual(got.answers.map(key), (c.packet.answers ?? []).slice(0, c.answers).map(key));
      assert.equal(got.authorities.length, c.authorities);
      assert.deepEqual(
        got.additionals.map((a) => a.type),
        c.additionals,
      );
      const records = (p: Packet) =>
        (p.answers?.length ?? 0) + (p.authorities?.length ?? 0) + (p.additionals?.length ?? 0);
      assert.equal(
        lostRecords(out),
        records(got) < records(c.packet),
        'lostRecords: a record was left out',
      );
    });
  }
});

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const name = fc
  .array(label, { minLength: 1, maxLength: 4 })
  .map((ls) => `${ls.join('.')}.svc.cluster.local`);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const record: fc.Arbitrary<Answer> = fc.oneof(
  fc
    .record({ name, ttl: fc.nat(3600), a: ipv4 })
    .map(({ name, ttl, a }) => rr(`${name}. ${ttl} IN A ${a}`)),
  fc
    .record({ name, ttl: fc.nat(3600), g: fc.integer({ min: 1, max: 0xffff }) })
    .map(({ name, ttl, g }) => rr(`${name}. ${ttl} IN AAAA fd00::${g.toString(16)}`)),
  fc
    .record({ name, target: name, port: fc.nat(0xffff) })
    .map(({ name, target, port }) => rr(`${name}. 5 IN SRV 0 100 ${port} ${target}.`)),
  fc.record({ name, target: name }).map(({ name, target }) => rr(`${name}. 5 IN CNAME ${target}.`)),
  fc
    .record({
      name,
      parts: fc.array(fc.stringMatching(/^[a-z0-9=]{0,255}$/), { minLength: 1, maxLength: 4 }),
    })
    .map(({ name, parts }) => ({ name, ttl: 5, class: 'IN', type: 'TXT', data: parts }) as Answer),
);

// dns-packet exports its record codec as `answer`; its type definitions leave it out.
const codec = dnsPacket as unknown as { answer: { encodingLength(r: Answer): number } };
/** The most bytes `r` can take: uncompressed (compression only ever shortens, RFC 1035 §4.1.4). */
const maximumSize = (r: Answer): number => codec.answer.encodingLength(r);

test('encodeWithin never exceeds the limit and keeps a maximal prefix of each section (property)', () => {
  const packet = fc.record({
    answers: fc.array(record, { maxLength: 400 }),
    authorities: fc.array(record, { maxLength: 3 }),
    additionals: fc.array(record, { maxLength: 20 }),
    edns: fc.boolean(),
  });
  fc.assert(
    fc.property(
      packet,
      fc.integer({ min: 512, max: 65535 }),
      ({ answers, authorities, additionals, edns }, limit) => {
        const input = response(answers, authorities, edns ? [...additionals, opt()] : additionals);
        const out = encodeWithin(structuredClone(input), limit);
        assert.ok(out.length <= limit, `${out.length} bytes > limit ${limit}`);
        const got = decoded(out);
        const tc = !!(got.flags & TC);
        const others = got.additionals.filter((a) => a.type !== 'OPT');
        assert.equal(got.additionals.length - others.length, edns ? 1 : 0, 'OPT always stays');
        assert.deepEqual(
          got.answers.map(key),
          answers.slice(0, got.answers.length).map(key),
          'answers are a prefix',
        );
        assert.deepEqual(
          got.authorities.map(key),
          authorities.slice(0, got.authorities.length).map(key),
          'authorities are a prefix',
        );
        assert.deepEqual(
          others.map(key),
          additionals.slice(0, others.length).map(key),
          'additionals are a prefix',
        );
        // The first record left out of answer or authority sets TC; one that would fit even
        // uncompressed must not be left out.
        const missing =
          got.answers.length < answers.length
            ? answers[got.answers.length]
            : got.authorities.length < authorities.length
              ? authorities[got.authorities.length]
              : undefined;
        assert.equal(
          tc,
          missing !== undefined,
          'TC exactly when an answer or authority record is left out',
        );
        if (missing) {
          assert.ok(
            out.length + maximumSize(missing) > limit,
            `${missing.type} record left out although it fits`,
          );
          assert.equal(others.length, 0, 'no additional records in a truncated answer');
          if (got.answers.length < answers.length) assert.equal(got.authorities.length, 0);
        }
        assert.equal(
          lostRecords(out),
          got.answers.length + got.authorities.length + others.length <
            answers.length + authorities.length + additionals.length,
          'lostRecords exactly when a record is left out',
        );
        const nextAdditional = tc ? undefined : additionals[others.length];
        if (nextAdditional)
          assert.ok(
            out.length + maximumSize(nextAdditional) > limit,
            'an additional record left out although it fits',
          );
      },
    ),
    { seed: 20240601, numRuns: 300 },
  );
});
