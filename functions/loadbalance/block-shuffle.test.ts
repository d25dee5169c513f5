import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { blockShuffle } from './block-shuffle.ts';

/** A NOERROR reply for `name` with four A records, in order .1 .. .4. */
const reply = (name: string) =>
  dnsPacket.encode({
    type: 'response',
    id: 1,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ name, type: 'A', class: 'IN' }],
    answers: [1, 2, 3, 4].map((i) => ({ name, type: 'A' as const, ttl: 60, data: `192.0.2.${i}` })),
  });
const order = (b: Buffer) =>
  (dnsPacket.decode(b).answers ?? [])
    .map((a) => (a as { data: string }).data.split('.')[3])
    .join('');

// Always the first index: the shuffle then moves records, so a shuffled order differs from 1234.
const first = () => 0;

test('round_robin shuffles the replies of its blocks only (longest zone decides)', () => {
  const after = blockShuffle(
    [
      { zones: [''], roundRobin: false },
      { zones: ['example.org'], roundRobin: true },
      { zones: ['static.example.org'], roundRobin: false },
    ],
    first,
  )!;
  const cases: [string, boolean][] = [
    ['www.example.org', true],
    ['WWW.Example.ORG', true],
    ['a.static.example.org', false],
    ['www.example.com', false],
  ];
  for (const [name, shuffled] of cases) {
    const r = reply(name);
    after(r);
    assert.equal(order(r) !== '1234', shuffled, `${name}: ${order(r)}`);
  }
});

test('no block with round_robin: no hook; every block: every reply', () => {
  assert.equal(blockShuffle([{ zones: [''], roundRobin: false }], first), undefined);
  const all = blockShuffle([{ zones: ['example.org'], roundRobin: true }], first)!;
  const r = reply('www.example.com');
  all(r);
  assert.notEqual(order(r), '1234', 'one block, all its replies, whatever the name');
});
