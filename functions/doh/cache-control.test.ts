import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, Packet } from 'dns-packet';
import { cacheControl } from './cache-control.ts';
import { encodeWithin } from '../core/truncate.ts';
import { soaRecord, kubernetesZone } from '../core/zone.ts';
import { toAnswers } from '../core/rrset.ts';
import { nodesFromText } from '../../test/support/records.ts';

const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;
const REFUSED = 5;

/** Records from presentation lines (test/support/records.ts). */
const rrs = (...lines: string[]): Answer[] =>
  nodesFromText(lines).flatMap((n) => n.sets.flatMap((s) => toAnswers(n.name, s)));
const soa = (ttl: number, minimum: number): Answer => {
  const zone = kubernetesZone('cluster.local', ttl);
  return { ...soaRecord({ ...zone, ttl, soa: { ...zone.soa, minimum } }, 1), ttl } as Answer;
};
const wire = (rcode: number, answers: Answer[], authorities: Answer[] = []): Buffer => {
  const packet: Packet = {
    id: 1,
    type: 'response',
    flags: 0x8400 | rcode,
    questions: [{ name: 'a.cluster.local', type: 'A', class: 'IN' }],
    answers,
    authorities,
  };
  return encodeWithin(packet, 65535); // names compressed, as the resolver writes them
};

test('Cache-Control: the smallest answer TTL, or the SOA negative TTL (RFC 8484 §5.1, RFC 2308 §5)', () => {
  const table: [string, Buffer, string][] = [
    ['one answer', wire(NOERROR, rrs('a.cluster.local. 5 IN A 10.0.0.1')), 'max-age=5'],
    [
      'the smallest of several TTLs',
      wire(
        NOERROR,
        rrs('a.cluster.local. 30 IN CNAME b.cluster.local.', 'b.cluster.local. 7 IN A 10.0.0.2'),
      ),
      'max-age=7',
    ],
    ['TTL 0', wire(NOERROR, rrs('a.cluster.local. 0 IN A 10.0.0.1')), 'max-age=0'],
    [
      'a TTL with the top bit set counts as 0 (RFC 2181 §8)',
      wire(NOERROR, rrs('a.cluster.local. 2147483648 IN A 10.0.0.1')),
      'max-age=0',
    ],
    ['NXDOMAIN: SOA TTL below MINIMUM', wire(NXDOMAIN, [], [soa(10, 300)]), 'max-age=10'],
    ['NXDOMAIN: MINIMUM below SOA TTL', wire(NXDOMAIN, [], [soa(60, 30)]), 'max-age=30'],
    ['NODATA', wire(NOERROR, [], [soa(5, 5)]), 'max-age=5'],
    [
      'a CNAME chain ending in NXDOMAIN: min of both',
      wire(NXDOMAIN, rrs('a.cluster.local. 30 IN CNAME gone.cluster.local.'), [soa(20, 20)]),
      'max-age=20',
    ],
    ['NOERROR without answer or SOA', wire(NOERROR, []), 'no-store'],
    ['NXDOMAIN without SOA', wire(NXDOMAIN, []), 'no-store'],
    ['SERVFAIL: never cached once the store is back', wire(SERVFAIL, []), 'no-store'],
    ['REFUSED', wire(REFUSED, []), 'no-store'],
    ['shorter than a header', Buffer.alloc(5), 'no-store'],
    [
      'cut inside the answer',
      wire(NOERROR, rrs('a.cluster.local. 5 IN A 10.0.0.1')).subarray(0, 40),
      'no-store',
    ],
  ];
  for (const [what, bytes, want] of table) assert.equal(cacheControl(bytes), want, what);
});
