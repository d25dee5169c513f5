import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import type { Sections } from '../core/sections.ts';
import { packSections, unpackSections } from './packed-sections.ts';

/** Records as the upstream pool hands them over: decoded by dns-packet. */
function upstream(...records: object[]): Answer[] {
  const reply = dnsPacket.encode({ type: 'response', answers: records as Answer[] });
  return dnsPacket.decode(reply).answers ?? [];
}
const rr = (type: string, data: unknown, extra: object = {}) => ({
  name: 'www.example.com',
  type,
  class: 'IN',
  ttl: 300,
  data,
  ...extra,
});
const sections = (answers: Answer[], authorities: Answer[] = [], additionals: Answer[] = []) =>
  ({ rcode: 'NOERROR', aa: false, answers, authorities, additionals }) as Sections;
const asStored = (r: Answer) => (r as { ttl?: number }).ttl ?? 0;

test('every record comes back as dns-packet decoded it (RFC 1035 §3.3, RFC 2782, RFC 3596)', () => {
  const cases: { name: string; records: Answer[] }[] = [
    { name: 'A', records: upstream(rr('A', '192.0.2.1'), rr('A', '192.0.2.2')) },
    { name: 'AAAA', records: upstream(rr('AAAA', '2001:db8::1')) },
    {
      name: 'CNAME, NS, PTR',
      records: upstream(rr('CNAME', 'a.example'), rr('NS', 'ns.example'), rr('PTR', 'p.example')),
    },
    {
      name: 'SRV',
      records: upstream(rr('SRV', { priority: 0, weight: 10, port: 443, target: 'svc.example' })),
    },
    {
      name: 'SOA',
      records: upstream(
        rr('SOA', {
          mname: 'ns.example',
          rname: 'host.example',
          serial: 4294967295,
          refresh: 1,
          retry: 2,
          expire: 3,
          minimum: 4,
        }),
      ),
    },
    { name: 'MX', records: upstream(rr('MX', { preference: 10, exchange: 'mail.example' })) },
    { name: 'TXT (lists of bytes)', records: upstream(rr('TXT', ['v=spf1 -all', 'second'])) },
    { name: 'CAA', records: upstream(rr('CAA', { flags: 0, tag: 'issue', value: 'ca.example' })) },
    {
      name: 'a type dns-packet does not know',
      records: upstream(rr('UNKNOWN_65280', Buffer.from([1, 2, 3]))),
    },
    {
      name: 'class CH, cache-flush bit',
      records: upstream(rr('A', '192.0.2.1', { class: 'CH', flush: true })),
    },
    {
      name: 'non-ASCII owner (UTF-8 labels)',
      records: upstream(rr('A', '192.0.2.1', { name: 'пример.example' })),
    },
    { name: 'latin1 owner', records: upstream(rr('A', '192.0.2.1', { name: 'bücher.example' })) },
    { name: 'root owner', records: upstream(rr('NS', 'a.root-servers.net', { name: '.' })) },
    { name: 'a long text', records: upstream(rr('TXT', ['x'.repeat(255)])) },
    { name: 'TTL 2^31 - 1', records: upstream(rr('A', '192.0.2.1', { ttl: 2147483647 })) },
  ];
  for (const c of cases) {
    const s = sections(c.records, c.records.slice(0, 1), c.records.slice(-1));
    const packed = packSections(s, asStored);
    assert.equal(typeof packed, 'string', `${c.name}: packed`);
    assert.deepEqual(unpackSections(packed, 0), s, c.name);
  }
});

test('TTLs: as stored less the age, never below 0 (RFC 1035 §6.1), or all one (RFC 8767 §4)', () => {
  const records = upstream(
    rr('A', '192.0.2.1', { ttl: 60 }),
    rr('CAA', { flags: 0, tag: 'issue', value: 'ca.example' }),
  );
  const soa = upstream(
    rr('SOA', {
      mname: 'ns.example',
      rname: 'h.example',
      serial: 1,
      refresh: 1,
      retry: 1,
      expire: 1,
      minimum: 5,
    }),
  );
  const ttlOf = (r: Answer, authority: boolean) => (authority ? 10 : asStored(r));
  const packed = packSections(sections(records, soa), ttlOf);
  const ttls = (s: Sections) => [...s.answers, ...s.authorities].map(asStored);
  const cases: { name: string; age: number; ttl?: number; ttls: number[] }[] = [
    { name: 'as stored; the authority TTL as the caller chose', age: 0, ttls: [60, 300, 10] },
    { name: 'aged', age: 9, ttls: [51, 291, 1] },
    { name: 'never below 0', age: 61, ttls: [0, 239, 0] },
    { name: 'stale: every TTL 30', age: 500, ttl: 30, ttls: [30, 30, 30] },
  ];
  for (const c of cases)
    assert.deepEqual(ttls(unpackSections(packed, c.age, c.ttl)), c.ttls, c.name);
});

test('kept as objects: an OPT record (returned as it is, RFC 6891 §6.1.1), a record nothing can write', () => {
  const opt = {
    name: '.',
    type: 'OPT',
    udpPayloadSize: 1232,
    flags: 0,
    options: [],
  } as unknown as Answer;
  const cases: { name: string; s: Sections }[] = [
    { name: 'OPT', s: sections(upstream(rr('A', '192.0.2.1')), [], [opt]) },
    { name: 'CAA without its fields', s: sections([rr('CAA', {}) as Answer]) },
    { name: 'a TTL that is no TTL', s: sections([rr('A', '192.0.2.1', { ttl: 1.5 }) as Answer]) },
  ];
  for (const c of cases) {
    const packed = packSections(c.s, asStored);
    assert.notEqual(typeof packed, 'string', c.name);
    const back = unpackSections(packed, 1);
    assert.deepEqual(
      back.additionals.filter((r) => r.type === 'OPT'),
      c.s.additionals,
      c.name,
    );
    assert.equal(back.answers.length, c.s.answers.length, c.name);
  }
});
