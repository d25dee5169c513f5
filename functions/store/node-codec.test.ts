import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNode, encodeNode } from './node-codec.ts';
import type { NameNode } from '../core/record.ts';
import { nodesFromText } from '../../test/support/records.ts';

const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

// Each table row is one node in presentation format; it must come back field for field.
const nodes = nodesFromText([
  'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
  'web.shop.svc.cluster.local. 5 IN AAAA fd00::5',
  'web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  'headless.shop.svc.cluster.local. 30 IN A 10.0.0.1',
  'headless.shop.svc.cluster.local. 30 IN A 10.0.0.2',
  'headless.shop.svc.cluster.local. 30 IN A 0.0.0.0',
  'headless.shop.svc.cluster.local. 30 IN A 255.255.255.255',
  'v6.shop.svc.cluster.local. 5 IN AAAA ::',
  'v6.shop.svc.cluster.local. 5 IN AAAA ::1',
  'v6.shop.svc.cluster.local. 5 IN AAAA 2001:db8::1:0:0:1',
  'v6.shop.svc.cluster.local. 5 IN AAAA 2001:db8:0:1:1:1:1:1',
  'v6.shop.svc.cluster.local. 5 IN AAAA fd00:1:2:3:4:5:6:7',
  // Addresses not in canonical form are kept as text: they read back as written.
  'odd4.shop.svc.cluster.local. 5 IN A 010.0.0.1',
  'odd6.shop.svc.cluster.local. 5 IN AAAA FD00::1',
  'odd6.shop.svc.cluster.local. 5 IN AAAA ::ffff:10.0.0.1',
  'odd6.shop.svc.cluster.local. 5 IN AAAA 0:0:0:0:0:0:0:1',
  'ext.shop.svc.cluster.local. 0 IN CNAME example.com.',
  '5.0.96.10.in-addr.arpa. 2147483647 IN PTR web.shop.svc.cluster.local.',
  'cluster.local. 4294967295 IN NS ns.dns.cluster.local.',
  '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 0 0 a.web.shop.svc.cluster.local.',
  '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 65535 65535 65535 b.web.shop.svc.cluster.local.',
  'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
  'txt.cluster.local. 5 IN TXT "a" "" "c"',
  'txt.cluster.local. 5 IN TXT "second"',
  `long.cluster.local. 5 IN PTR ${long}.`,
  `${long}. 5 IN CNAME long.cluster.local.`,
  'shop.svc.cluster.local. ENT',
  'shop.pod.cluster.local. SYNTH dashed-ip',
  '_zone.web.shop.svc.cluster.local. SYNTH zonal',
  '_zone.web.shop.svc.cluster.local. 5 IN PTR a.zone-a.web.shop.svc.cluster.local.',
  // Names share whole labels with their owner: all of it, its tail, or none.
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 80 pod.web.shop.svc.cluster.local.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 81 web.shop.svc.cluster.local.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 82 other.pod.web.shop.svc.cluster.local.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 83 xpod.web.shop.svc.cluster.local.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 84 d.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 85 .',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 86 local.',
  'pod.web.shop.svc.cluster.local. 5 IN SRV 0 0 87 cal.',
]);

// Text is any string: a byte above 0x7f reads as a latin1 char, and UTF-8 from a snapshot.
const unicode: NameNode[] = [
  { name: 'caf\u00e9.cluster.local', sets: [{ type: 'CNAME', ttl: 5, data: ['\u00ff.example'] }] },
  {
    name: 't.cluster.local',
    sets: [{ type: 'TXT', ttl: 5, data: [['h\u00e9', '\u65e5\u672c', '\u{1f600}']] }],
  },
  {
    name: 's.cluster.local',
    sets: [{ type: 'SRV', ttl: 5, data: [{ priority: 1, weight: 2, port: 3, target: 'n\u00e9' }] }],
  },
  // A shared tail stops at a label's start, not inside a UTF-16 surrogate pair.
  { name: 'a\u{1f200}.x', sets: [{ type: 'PTR', ttl: 5, data: ['a\u{1f600}.x', '\u{1f200}.x'] }] },
  { name: '', sets: [{ type: 'NS', ttl: 5, data: ['ns.cluster.local', ''] }] },
  // Past 127 bytes a length takes two varint bytes.
  {
    name: 'x.cluster.local',
    sets: [{ type: 'TXT', ttl: 5, data: [['x'.repeat(300), '\u00e9'.repeat(100)]] }],
  },
];

test('every node comes back as it went in', () => {
  for (const node of [...nodes, ...unicode]) {
    const body = Buffer.from(encodeNode(node));
    assert.deepEqual(decodeNode(node.name, body, 0), node, node.name);
  }
});

test('a body decodes where it lies in a larger buffer', () => {
  const bodies = nodes.map((node) => Buffer.from(encodeNode(node)));
  const all = Buffer.concat(bodies);
  let at = 0;
  nodes.forEach((node, i) => {
    assert.deepEqual(decodeNode(node.name, all, at), node, node.name);
    at += bodies[i]!.length;
  });
});

test('binary addresses: an A record is 4 bytes, an AAAA 16, not their text', () => {
  const [a, aaaa] = nodesFromText([
    'a.cluster.local. 5 IN A 255.255.255.255',
    'aaaa.cluster.local. 5 IN AAAA fd00:1:2:3:4:5:6:7',
  ]);
  // synth, set count, type, TTL, record count, rdata
  assert.equal(encodeNode(a!).length, 1 + 1 + 1 + 4 + 1 + 4);
  assert.equal(encodeNode(aaaa!).length, 1 + 1 + 1 + 4 + 1 + 16);
});

test('values the wire cannot carry are refused when encoded', () => {
  const bad: [string, NameNode][] = [
    ['negative TTL', { name: 'a', sets: [{ type: 'A', ttl: -1, data: ['10.0.0.1'] }] }],
    ['TTL past u32', { name: 'a', sets: [{ type: 'A', ttl: 2 ** 32, data: ['10.0.0.1'] }] }],
    ['fractional TTL', { name: 'a', sets: [{ type: 'A', ttl: 1.5, data: ['10.0.0.1'] }] }],
    [
      'SRV port past u16',
      {
        name: 'a',
        sets: [
          { type: 'SRV', ttl: 5, data: [{ priority: 0, weight: 0, port: 65536, target: 'b' }] },
        ],
      },
    ],
  ];
  for (const [why, node] of bad) assert.throws(() => encodeNode(node), RangeError, why);
});
