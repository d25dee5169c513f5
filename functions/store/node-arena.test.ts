import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeArena } from './node-arena.ts';
import type { NameNode } from '../core/record.ts';
import { nodesFromText } from '../../test/support/records.ts';

const nodes = nodesFromText([
  'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
  'web.shop.svc.cluster.local. 5 IN SRV 0 100 80 web.shop.svc.cluster.local.',
  '5.0.96.10.in-addr.arpa. 5 IN PTR web.shop.svc.cluster.local.',
  'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
  'shop.svc.cluster.local. ENT',
  'shop.pod.cluster.local. SYNTH dashed-ip',
  // The root: an empty name.
  '. 5 IN NS ns.dns.cluster.local.',
]);

// A byte above 0x7f in a label reads as its latin1 char; a snapshot may hold any UTF-8.
const nonAscii = [
  'caf\u00e9.shop.svc.cluster.local',
  '\u00ff.cluster.local',
  '\u65e5\u672c.cluster.local',
];
const a = (name: string, address: string): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [address] }],
});

test('packed, transferred and unpacked, every node reads back, in the order it was set', () => {
  const all = [...nodes, ...nonAscii.map((name) => a(name, '10.0.0.1'))];
  const packed = NodeArena.pack(all);
  // Buffers only: a loader thread transfers them (structured clone) without copying.
  const moved = structuredClone(packed, {
    transfer: [packed.bytes.buffer as ArrayBuffer, packed.slots.buffer as ArrayBuffer],
  });
  assert.equal(packed.bytes.byteLength, 0, 'transferred, not copied');
  const arena = NodeArena.unpack(moved);
  assert.equal(arena.size, all.length);
  for (const node of all) assert.deepEqual(arena.get(node.name), node, node.name);
  assert.deepEqual(
    [...arena.names()],
    all.map((n) => n.name),
  );
});

test('a name matches only itself, byte for byte', () => {
  const arena = NodeArena.from([...nodes, ...nonAscii.map((name) => a(name, '10.0.0.1'))]);
  const misses = [
    'web.shop.svc.cluster.loca',
    'web.shop.svc.cluster.local.',
    'Web.shop.svc.cluster.local',
    'cafe.shop.svc.cluster.local',
    'caf\u00c9.shop.svc.cluster.local',
    // The same length in chars as a stored name, not in bytes; and the other way round.
    'ca\u00e9f.shop.svc.cluster.local',
    'cafxy.shop.svc.cluster.local',
    '\u00fe.cluster.local',
    'shop.svc.cluster',
  ];
  for (const name of misses) assert.equal(arena.get(name), undefined, name);
});

test('replaced and deleted nodes: the last write wins, dead bytes are compacted away', () => {
  const arena = NodeArena.from([]);
  const live = new Map<string, string>();
  const names = [
    ...Array.from({ length: 97 }, (_, i) => `s${i}.ns.svc.cluster.local`),
    ...nonAscii,
  ];
  for (let round = 0; round < 60; round++) {
    for (let i = 0; i < 40; i++) {
      const name = names[(round * 7 + i) % names.length]!;
      const address = `10.0.${round}.${i}`;
      arena.set(a(name, address));
      live.delete(name);
      live.set(name, address);
    }
    const gone = names[(round * 3) % names.length]!;
    arena.delete(gone);
    arena.delete('never.set');
    live.delete(gone);
  }
  assert.equal(arena.size, live.size);
  for (const name of names) {
    const address = live.get(name);
    assert.deepEqual(arena.get(name), address ? a(name, address) : undefined, name);
  }
  // As a Map would: a replaced name moves to the end.
  assert.deepEqual([...arena.names()], [...live.keys()]);
});

test('thousands of names: the index grows, and deletes keep every other name reachable', () => {
  const names = Array.from({ length: 5000 }, (_, i) => `pod-${i}.ns-${i % 13}.svc.cluster.local`);
  const arena = NodeArena.unpack(
    NodeArena.pack(names.map((n, i) => a(n, `10.1.${i >> 8}.${i & 255}`))),
  );
  names.forEach((name, i) => i % 3 === 0 && arena.delete(name));
  names.forEach((name, i) => i % 5 === 0 && arena.set(a(name, '10.2.0.1')));
  names.forEach((name, i) => {
    const want =
      i % 5 === 0
        ? a(name, '10.2.0.1')
        : i % 3 === 0
          ? undefined
          : a(name, `10.1.${i >> 8}.${i & 255}`);
    assert.deepEqual(arena.get(name), want, name);
  });
  assert.equal(arena.size, [...arena.names()].length);
  assert.equal(arena.size, names.filter((_, i) => i % 5 === 0 || i % 3 !== 0).length);
});
