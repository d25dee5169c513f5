import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NameNode, RecordSet } from '../../core/record.ts';
import { nodesFromText } from '../../../test/support/records.ts';
import {
  contentHash,
  CorruptItemError,
  decodeNode,
  encodeNode,
  FENCE_NAME,
  INDEX_BY_CLUSTER,
  isInternalName,
  itemSize,
  parsePartName,
  partKeys,
  partName,
  readHead,
  tableDefinition,
  type EncodedNode,
} from './codec.ts';

/** Head and parts as the reader gets them back. */
function roundTrip(encoded: EncodedNode): NameNode {
  const head = readHead(encoded.head);
  return decodeNode(
    head,
    encoded.parts.map((p) => p.body!.B!),
  );
}

const cases: { what: string; lines: string[] }[] = [
  {
    what: 'A, packed',
    lines: [
      'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
      'web.shop.svc.cluster.local. 5 IN A 10.96.0.6',
    ],
  },
  {
    what: 'AAAA, packed',
    lines: [
      'web.shop.svc.cluster.local. 5 IN AAAA fd00::5',
      'web.shop.svc.cluster.local. 5 IN AAAA 2001:db8:0:1:2:3:4:5',
    ],
  },
  {
    what: 'A kept as text when not canonical',
    lines: ['odd.cluster.local. 5 IN A 010.0.0.1', 'odd.cluster.local. 5 IN A 10.0.0.1'],
  },
  {
    what: 'AAAA kept as text when not canonical',
    lines: [
      'odd.cluster.local. 5 IN AAAA FD00:0:0::5',
      'odd.cluster.local. 5 IN AAAA ::ffff:10.0.0.1',
    ],
  },
  {
    what: 'CNAME outside the owner',
    lines: ['ext.shop.svc.cluster.local. 5 IN CNAME www.example.com.'],
  },
  {
    what: 'SRV with targets below, at and beside the owner',
    lines: [
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 50 80 10-0-0-1.web.shop.svc.cluster.local.',
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 50 80 web.shop.svc.cluster.local.',
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 10 65535 65535 _http._tcp.web.shop.svc.cluster.local.',
      '_http._tcp.web.shop.svc.cluster.local. 5 IN SRV 0 0 0 other.example.',
    ],
  },
  { what: 'PTR', lines: ['5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.'] },
  { what: 'NS', lines: ['cluster.local. 5 IN NS ns.dns.cluster.local.'] },
  { what: 'TXT', lines: ['dns-version.cluster.local. 28800 IN TXT 1.1.0'] },
  { what: 'empty non-terminal', lines: ['svc.cluster.local. ENT'] },
  { what: 'synth', lines: ['shop.pod.cluster.local. SYNTH dashed-ip'] },
  {
    what: 'synth with records',
    lines: ['shop.pod.cluster.local. SYNTH dashed-ip', 'shop.pod.cluster.local. 5 IN A 10.0.0.9'],
  },
  { what: 'largest TTL', lines: ['t.cluster.local. 4294967295 IN A 10.0.0.1'] },
  {
    what: 'zonal carrier (§6.20)',
    lines: [
      '_zone.db.shop.svc.cluster.local. SYNTH zonal',
      '_zone.db.shop.svc.cluster.local. 5 IN A 10.0.0.1',
      '_zone.db.shop.svc.cluster.local. 5 IN SRV 0 100 80 10-0-0-1.db.shop.svc.cluster.local.',
    ],
  },
  { what: 'empty zonal carrier', lines: ['_zone.db.shop.svc.cluster.local. SYNTH zonal'] },
];

for (const { what, lines } of cases) {
  test(`codec: round trip, ${what}`, () => {
    const [node] = nodesFromText(lines);
    const encoded = encodeNode(node!, 'c1', 7);
    assert.equal(encoded.parts.length, 0);
    assert.deepEqual(roundTrip(encoded), node);
    assert.equal(readHead(encoded.head).serial, 7);
    assert.equal(encoded.hash, contentHash(node!));
  });
}

test('codec: TXT with several strings, empty strings and UTF-8', () => {
  const node: NameNode = {
    name: 'txt.cluster.local',
    sets: [{ type: 'TXT', ttl: 5, data: [['a b', '', 'ünï ✓'], []] }],
  };
  assert.deepEqual(roundTrip(encodeNode(node, 'c1', 1)), node);
});

test('codec: any node round-trips, split or not (property)', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));
  const ttl = fc.integer({ min: 0, max: 0xffffffff });
  const set: fc.Arbitrary<RecordSet> = fc.oneof(
    fc.record({
      type: fc.constant('A' as const),
      ttl,
      data: fc.array(fc.oneof(fc.ipV4(), fc.string()), { maxLength: 5 }),
    }),
    fc.record({
      type: fc.constant('AAAA' as const),
      ttl,
      data: fc.array(fc.ipV6(), { maxLength: 5 }),
    }),
    fc.record({
      type: fc.constantFrom('CNAME' as const, 'PTR' as const, 'NS' as const),
      ttl,
      data: fc.array(name, { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('SRV' as const),
      ttl,
      data: fc.array(
        fc.record({
          priority: fc.nat(65535),
          weight: fc.nat(65535),
          port: fc.nat(65535),
          target: name,
        }),
        { maxLength: 5 },
      ),
    }),
    fc.record({
      type: fc.constant('TXT' as const),
      ttl,
      data: fc.array(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 3 }), { maxLength: 3 }),
    }),
  );
  const node = fc.record(
    { name, sets: fc.array(set, { maxLength: 4 }) },
    { requiredKeys: ['name', 'sets'] },
  );
  fc.assert(
    fc.property(node, fc.boolean(), fc.integer({ min: 1, max: 64 }), (n, synth, partBytes) => {
      const plain = JSON.parse(JSON.stringify(n)) as NameNode; // fast-check records have no prototype
      const stored: NameNode = synth ? { ...plain, synth: 'dashed-ip' } : plain;
      assert.deepEqual(roundTrip(encodeNode(stored, 'c1', 1, partBytes)), stored);
    }),
    { numRuns: 300 },
  );
});

test('codec: a large node splits into parts that join back; each item stays small', () => {
  const [node] = nodesFromText(
    Array.from(
      { length: 2000 },
      (_, i) => `big.cluster.local. 5 IN AAAA fd00::${(i + 1).toString(16)}`,
    ),
  );
  const encoded = encodeNode(node!, 'c1', 3, 10_000);
  assert.equal(encoded.parts.length, 3); // 2000 x 16 bytes of addresses + headers
  const head = readHead(encoded.head);
  assert.equal(head.parts, 3);
  assert.deepEqual(
    partKeys(head).map((k) => k.name!.S),
    encoded.parts.map((p) => p.name!.S),
  );
  for (const [i, part] of encoded.parts.entries()) {
    assert.deepEqual(parsePartName(part.name!.S!), {
      owner: 'big.cluster.local',
      hash: encoded.hash,
      index: i + 1,
    });
    assert.ok(itemSize(part) <= 10_100);
  }
  assert.deepEqual(roundTrip(encoded), node);
});

test('codec: parts that do not belong together are refused', () => {
  const [node] = nodesFromText(
    Array.from({ length: 200 }, (_, i) => `big.cluster.local. 5 IN A 10.0.${i}.1`),
  );
  const encoded = encodeNode(node!, 'c1', 1, 300);
  const head = readHead(encoded.head);
  const bodies = encoded.parts.map((p) => p.body!.B!);
  assert.throws(() => decodeNode(head, bodies.slice(1)), CorruptItemError);
  assert.throws(
    () => decodeNode(head, [bodies[1]!, bodies[0]!, ...bodies.slice(2)]),
    CorruptItemError,
  );
  const [changed] = nodesFromText(
    Array.from({ length: 200 }, (_, i) => `big.cluster.local. 5 IN A 10.1.${i}.1`),
  );
  const other = encodeNode(changed!, 'c1', 1, 300);
  assert.equal(other.parts.length, encoded.parts.length);
  assert.throws(
    () =>
      decodeNode(
        head,
        other.parts.map((p) => p.body!.B!),
      ),
    CorruptItemError,
  );
});

test('codec: corrupt bodies and items are CorruptItemError', () => {
  const [node] = nodesFromText([
    'w.cluster.local. 5 IN A 10.0.0.1',
    'w.cluster.local. 5 IN SRV 0 1 80 x.w.cluster.local.',
  ]);
  const body = encodeNode(node!, 'c1', 1).head.body!.B!;
  const headWith = (b: Uint8Array) =>
    readHead({
      name: { S: 'w.cluster.local' },
      cluster: { S: 'c1' },
      hash: { S: 'x' },
      body: { B: b },
    });
  const bad: [string, Uint8Array][] = [
    ['truncated', body.subarray(0, body.length - 1)],
    ['trailing byte', Uint8Array.from([...body, 0])],
    ['unknown version', Uint8Array.from([9, ...body.subarray(1)])],
    ['unknown synth flags', Uint8Array.from([body[0]!, 3, ...body.subarray(2)])],
    ['empty', new Uint8Array(0)],
  ];
  for (const [what, b] of bad) assert.throws(() => decodeNode(headWith(b)), CorruptItemError, what);
  assert.throws(() => readHead({ name: { S: 'w' } }), CorruptItemError);
  assert.throws(
    () =>
      readHead({
        name: { S: 'w' },
        cluster: { S: 'c' },
        hash: { S: 'h' },
        body: { B: body },
        parts: { N: '-1' },
      }),
    CorruptItemError,
  );
});

test('codec: nodes that cannot be stored are refused with the reason', () => {
  const bad: [string, NameNode, RegExp][] = [
    ['TTL', { name: 'a.cluster.local', sets: [{ type: 'A', ttl: -1, data: [] }] }, /TTL/],
    [
      'SRV port',
      {
        name: 'a.cluster.local',
        sets: [
          { type: 'SRV', ttl: 5, data: [{ priority: 0, weight: 0, port: 70000, target: 'b' }] },
        ],
      },
      /port/,
    ],
    ['internal name', { name: '.part/x', sets: [] }, /owner name/],
    ['root', { name: '', sets: [] }, /owner name/],
    ['long name', { name: 'a.'.repeat(600), sets: [] }, /longer than 1024 bytes/],
    [
      'type',
      { name: 'a.cluster.local', sets: [{ type: 'MX', ttl: 5, data: [] } as unknown as RecordSet] },
      /type/,
    ],
  ];
  for (const [what, node, message] of bad)
    assert.throws(() => encodeNode(node, 'c1', 1), message, what);
});

test('codec: the content hash follows the content, not the serial or cluster', () => {
  const [a] = nodesFromText([
    'w.cluster.local. 5 IN A 10.0.0.1',
    'w.cluster.local. 5 IN A 10.0.0.2',
  ]);
  const [b] = nodesFromText([
    'w.cluster.local. 5 IN A 10.0.0.2',
    'w.cluster.local. 5 IN A 10.0.0.1',
  ]);
  const [c] = nodesFromText([
    'w.cluster.local. 6 IN A 10.0.0.1',
    'w.cluster.local. 6 IN A 10.0.0.2',
  ]);
  assert.match(contentHash(a!), /^[0-9a-f]{16}$/);
  assert.equal(encodeNode(a!, 'c1', 1).hash, encodeNode(a!, 'c2', 99).hash);
  assert.notEqual(contentHash(a!), contentHash(b!));
  assert.notEqual(contentHash(a!), contentHash(c!));
});

test('codec: internal keys never look like owner names', () => {
  assert.ok(isInternalName(FENCE_NAME));
  assert.ok(isInternalName(partName('a.b', '0123456789abcdef', 1)));
  assert.equal(parsePartName(FENCE_NAME), undefined);
  assert.equal(parsePartName('a.part/0123456789abcdef/1/x'), undefined);
  assert.ok(!isInternalName('web.shop.svc.cluster.local'));
});

test('codec: table definition: (name, cluster) keys and the by-cluster GSI with hash and parts', () => {
  const def = tableDefinition('records');
  assert.equal(def.TableName, 'records');
  assert.deepEqual(def.KeySchema, [
    { AttributeName: 'name', KeyType: 'HASH' },
    { AttributeName: 'cluster', KeyType: 'RANGE' },
  ]);
  const gsi = def.GlobalSecondaryIndexes?.[0];
  assert.equal(gsi?.IndexName, INDEX_BY_CLUSTER);
  assert.deepEqual(
    gsi?.KeySchema?.map((k) => k.AttributeName),
    ['cluster', 'name'],
  );
  assert.deepEqual(gsi?.Projection, {
    ProjectionType: 'INCLUDE',
    NonKeyAttributes: ['hash', 'parts'],
  });
});

test('codec: item size counts attribute names and values as DynamoDB does', () => {
  // 'name' 4 + 'ab' 2, 'cluster' 7 + 'c1' 2, 'body' 4 + 10 bytes, 'serial' 6 + 12345 (3 digit pairs + 1).
  assert.equal(
    itemSize({
      name: { S: 'ab' },
      cluster: { S: 'c1' },
      body: { B: new Uint8Array(10) },
      serial: { N: '12345' },
    }),
    39,
  );
});
