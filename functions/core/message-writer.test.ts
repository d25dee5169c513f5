// The compressing writer must produce what dns-packet reads back, record for record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import fc from 'fast-check';
import { encodeWithin } from './truncate.ts';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const name = fc
  .array(fc.constantFrom('svc', 'cluster', 'local', 'shop', 'web', 'db-0'), {
    minLength: 0,
    maxLength: 3,
  })
  .chain((tail) =>
    fc
      .array(label, { minLength: 1, maxLength: 3 })
      .map((head) => [...head, ...tail, 'cluster', 'local'].join('.')),
  );
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().filter((a) => !a.includes('.'));
const record: fc.Arbitrary<Answer> = fc.oneof(
  fc
    .record({ name, ttl: fc.nat(86400), data: ipv4 })
    .map((r) => ({ ...r, type: 'A' as const, class: 'IN' as const })),
  fc
    .record({ name, ttl: fc.nat(86400), data: ipv6 })
    .map((r) => ({ ...r, type: 'AAAA' as const, class: 'IN' as const })),
  fc
    .record({ name, ttl: fc.nat(86400), data: name })
    .map((r) => ({ ...r, type: 'CNAME' as const, class: 'IN' as const })),
  fc
    .record({ name, ttl: fc.nat(86400), data: name })
    .map((r) => ({ ...r, type: 'PTR' as const, class: 'IN' as const })),
  fc
    .record({
      name,
      ttl: fc.nat(86400),
      data: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 3 }),
    })
    .map((r) => ({ ...r, type: 'TXT' as const, class: 'IN' as const })),
  fc
    .record({
      name,
      ttl: fc.nat(86400),
      priority: fc.nat(65535),
      weight: fc.nat(65535),
      port: fc.nat(65535),
      target: name,
    })
    .map(({ name, ttl, ...data }) => ({
      name,
      ttl,
      type: 'SRV' as const,
      class: 'IN' as const,
      data,
    })),
);

/** What dns-packet decodes, reduced to comparable fields. */
const comparable = (rr: Answer) => {
  const r = rr as Answer & { data: unknown; ttl?: number };
  const data =
    r.type === 'TXT'
      ? (r.data as Buffer[]).map((b) => b.toString())
      : r.type === 'AAAA'
        ? expandV6(r.data as string)
        : r.data;
  return { name: r.name, type: r.type, ttl: r.ttl, data };
};
const expandV6 = (a: string) => {
  const [h = '', t] = a.split('::');
  const hs = h ? h.split(':') : [];
  const ts = t ? t.split(':') : [];
  return [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts]
    .map((g) => parseInt(g, 16))
    .join(':');
};

test('what the writer writes, dns-packet reads back unchanged, and never longer than dns-packet writes', () => {
  fc.assert(
    fc.property(
      fc.array(record, { maxLength: 30 }),
      fc.array(record, { maxLength: 3 }),
      (answers, additionals) => {
        const packet = {
          id: 7,
          type: 'response' as const,
          flags: 0x8400,
          questions: [{ name: 'q.cluster.local', type: 'A' as const, class: 'IN' as const }],
          answers,
          authorities: [],
          additionals,
        };
        const wire = encodeWithin(packet, 65535);
        const back = dnsPacket.decode(wire);
        assert.deepEqual((back.answers ?? []).map(comparable), answers.map(comparable));
        assert.deepEqual((back.additionals ?? []).map(comparable), additionals.map(comparable));
        assert.ok(wire.length <= dnsPacket.encodingLength(packet));
      },
    ),
    { seed: 8484, numRuns: 300 },
  );
});

test('owner names point back at the question; SRV targets are never compressed (RFC 2782)', () => {
  const srv = {
    name: '_http._tcp.web.shop.svc.cluster.local',
    type: 'SRV' as const,
    class: 'IN' as const,
    ttl: 5,
    data: { priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' },
  };
  const a = {
    name: 'web.shop.svc.cluster.local',
    type: 'A' as const,
    class: 'IN' as const,
    ttl: 5,
    data: '10.96.0.5',
  };
  const wire = encodeWithin(
    {
      id: 1,
      type: 'response',
      questions: [{ name: srv.name, type: 'SRV' }],
      answers: [srv],
      additionals: [a],
    },
    512,
  );
  const question = 12;
  // The SRV owner is a pointer to the question name (offset 12).
  const owner =
    question + dnsPacket.encodingLength({ questions: [{ name: srv.name, type: 'SRV' }] }) - 12;
  assert.equal(wire.readUInt16BE(owner), 0xc000 | question);
  // Its target follows the 10-byte fixed part and 6 bytes of priority, weight, port: spelled out.
  const target = owner + 2 + 10 + 6;
  assert.equal(wire[target], 3);
  assert.equal(wire.subarray(target + 1, target + 4).toString(), 'web');
  assert.deepEqual(
    dnsPacket.decode(wire).additionals?.map((r) => r.name),
    ['web.shop.svc.cluster.local'],
  );
});

test('case is kept: a pointer is only taken to the same spelling', () => {
  const wire = encodeWithin(
    {
      id: 1,
      type: 'response',
      questions: [{ name: 'WEB.shop.svc.cluster.local', type: 'CNAME' }],
      answers: [
        {
          name: 'WEB.shop.svc.cluster.local',
          type: 'CNAME',
          class: 'IN',
          ttl: 5,
          data: 'web.shop.svc.cluster.local',
        },
      ],
    },
    512,
  );
  const back = dnsPacket.decode(wire);
  assert.equal(back.answers?.[0]?.name, 'WEB.shop.svc.cluster.local');
  assert.equal((back.answers?.[0] as { data: string }).data, 'web.shop.svc.cluster.local');
});
