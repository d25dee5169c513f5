import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer, Packet } from 'dns-packet';
import { jsonAnswer } from './json-answer.ts';
import { rdataText } from './rdata-text.ts';
import { encodeWithin } from '../core/truncate.ts';
import { kubernetesZone, soaRecord } from '../core/zone.ts';
import { toAnswers } from '../core/rrset.ts';
import { nodesFromText } from '../../test/support/records.ts';

const rrs = (...lines: string[]): Answer[] =>
  nodesFromText(lines).flatMap((n) => n.sets.flatMap((s) => toAnswers(n.name, s)));
const response = (packet: Partial<Packet>): Buffer =>
  encodeWithin(
    {
      id: 0,
      type: 'response',
      flags: 0x8500,
      questions: [{ name: 'q.cluster.local', type: 'A', class: 'IN' }],
      ...packet,
    },
    65535,
  );

test('JSON records: data in presentation form per type, names with their trailing dot', () => {
  const table: [Answer[], { name: string; type: number; TTL: number; data: string }][] = [
    [
      rrs('web.shop.svc.cluster.local. 5 IN A 10.96.12.34'),
      { name: 'web.shop.svc.cluster.local.', type: 1, TTL: 5, data: '10.96.12.34' },
    ],
    [
      rrs('api.edge.svc.cluster.local. 5 IN AAAA fd00:10:96:0:0:0:0:8c14'),
      { name: 'api.edge.svc.cluster.local.', type: 28, TTL: 5, data: 'fd00:10:96::8c14' },
    ],
    [
      rrs('billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.'),
      { name: 'billing.shop.svc.cluster.local.', type: 5, TTL: 5, data: 'billing.example.com.' },
    ],
    [
      rrs('1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'),
      {
        name: '1.0.96.10.in-addr.arpa.',
        type: 12,
        TTL: 5,
        data: 'kubernetes.default.svc.cluster.local.',
      },
    ],
    [
      rrs('cluster.local. 5 IN NS ns.dns.cluster.local.'),
      { name: 'cluster.local.', type: 2, TTL: 5, data: 'ns.dns.cluster.local.' },
    ],
    [
      rrs('_http._tcp.api.edge.svc.cluster.local. 5 IN SRV 0 50 8080 api.edge.svc.cluster.local.'),
      {
        name: '_http._tcp.api.edge.svc.cluster.local.',
        type: 33,
        TTL: 5,
        data: '0 50 8080 api.edge.svc.cluster.local.',
      },
    ],
    [
      rrs('dns-version.cluster.local. 28800 IN TXT "1.1.0"'),
      { name: 'dns-version.cluster.local.', type: 16, TTL: 28800, data: '"1.1.0"' },
    ],
    [
      [
        {
          name: 't.cluster.local',
          type: 'TXT',
          class: 'IN',
          ttl: 5,
          data: ['say "hi"\\', 'two words', '\u0001'],
        },
      ],
      {
        name: 't.cluster.local.',
        type: 16,
        TTL: 5,
        data: '"say \\"hi\\"\\\\" "two words" "\\001"',
      },
    ],
    [
      [soaRecord(kubernetesZone('cluster.local', 5), 1700000000)],
      {
        name: 'cluster.local.',
        type: 6,
        TTL: 5,
        data: 'ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5',
      },
    ],
  ];
  for (const [answers, want] of table) {
    assert.deepEqual(jsonAnswer(response({ answers })).Answer, [want], want.data);
  }
});

test('types edge-dns does not serve print as RFC 3597 §5 unknown RDATA', () => {
  assert.equal(
    rdataText({
      name: 'x',
      type: 'UNKNOWN_65280' as 'A',
      data: Buffer.from([1, 2, 0xab]),
    } as unknown as Answer),
    '\\# 3 0102ab',
  );
  assert.equal(
    rdataText({
      name: 'x',
      type: 'CAA',
      data: { flags: 0, tag: 'issue', value: 'ca.example' },
    } as Answer),
    '\\# 17 0005697373756563612e6578616d706c65',
  );
});

test('the JSON object: flags as booleans, Status the rcode, empty sections left out, OPT not a record', () => {
  const soa = soaRecord(kubernetesZone('cluster.local', 5), 7);
  const opt = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: 1232,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
  } as unknown as Answer;
  const nx = jsonAnswer(
    response({
      flags: 0x8400 | 0x0100 | 0x0010 | 3,
      questions: [{ name: 'Gone.cluster.local', type: 'AAAA', class: 'IN' }],
      authorities: [soa],
      additionals: [opt],
    }),
  );
  assert.deepEqual(nx, {
    Status: 3,
    TC: false,
    RD: true,
    RA: false,
    AD: false,
    CD: true,
    Question: [{ name: 'Gone.cluster.local.', type: 28 }],
    Authority: [
      {
        name: 'cluster.local.',
        type: 6,
        TTL: 5,
        data: 'ns.dns.cluster.local. hostmaster.cluster.local. 7 7200 1800 86400 5',
      },
    ],
  });
  const srv = jsonAnswer(
    response({
      answers: rrs('_p._tcp.db.cluster.local. 5 IN SRV 0 100 5432 db-0.db.cluster.local.'),
      additionals: [...rrs('db-0.db.cluster.local. 5 IN A 10.0.0.9'), opt],
    }),
  );
  assert.deepEqual(srv.Additional, [
    { name: 'db-0.db.cluster.local.', type: 1, TTL: 5, data: '10.0.0.9' },
  ]);
  const badvers = jsonAnswer(
    response({ flags: 0x8000, additionals: [{ ...opt, extendedRcode: 1 } as Answer] }),
  );
  assert.equal(
    badvers.Status,
    16,
    'BADVERS: the OPT record holds the upper rcode bits (RFC 6891 §6.1.3)',
  );
  assert.equal('Answer' in badvers, false);
  const root = jsonAnswer(
    response({ flags: 0x8005, questions: [{ name: '.', type: 'NS', class: 'IN' }] }),
  );
  assert.deepEqual(root.Question, [{ name: '.', type: 2 }]);
});
