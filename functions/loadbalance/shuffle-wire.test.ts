// shuffleWire on encoded replies: tables of answers before and after with fixed randomness, every
// order reachable, MX moved only when no pointer can break (fuzzing: shuffle-wire-fuzz.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { encodeWithin } from '../core/truncate.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import { rr } from '../../test/support/answer-line.ts';
import { shuffleWire } from './shuffle-wire.ts';

const packet = (
  answers: string[],
  o: { qtype?: string; rcode?: number; additionals?: string[] } = {},
): Packet => ({
  type: 'response',
  id: 7,
  flags: dnsPacket.RECURSION_DESIRED | (o.rcode ?? 0),
  questions: [
    {
      name: answers[0]?.split(' ')[0]?.replace(/\.$/, '') ?? 'x.test',
      type: (o.qtype ?? 'A') as 'A',
      class: 'IN',
    },
  ],
  answers: answers.map(rr),
  additionals: (o.additionals ?? []).map(rr),
});

const answersOf = (wire: Uint8Array) =>
  (dnsPacket.decode(Buffer.from(wire)).answers ?? []).map(toPresentation);
const always = (r: number) => () => r;

test('runs shuffled in place, everything else where it was', () => {
  // answers | options | random | answers after
  const cases: [string, string[], Parameters<typeof packet>[1], number, string[]][] = [
    [
      'three A, random 0',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3'],
      {},
      0,
      ['w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3', 'w.test. 5 IN A 10.0.0.1'],
    ],
    [
      'three A, random just under 1: each stays',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3'],
      {},
      0.999,
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3'],
    ],
    [
      'the CNAME stays first',
      ['w.test. 5 IN CNAME t.test.', 't.test. 5 IN A 10.0.0.1', 't.test. 5 IN A 10.0.0.2'],
      {},
      0,
      ['w.test. 5 IN CNAME t.test.', 't.test. 5 IN A 10.0.0.2', 't.test. 5 IN A 10.0.0.1'],
    ],
    [
      'A and AAAA runs each on their own',
      [
        'w.test. 5 IN A 10.0.0.1',
        'w.test. 5 IN A 10.0.0.2',
        'w.test. 5 IN AAAA fd00::1',
        'w.test. 5 IN AAAA fd00::2',
      ],
      { qtype: 'ANY' },
      0,
      [
        'w.test. 5 IN A 10.0.0.2',
        'w.test. 5 IN A 10.0.0.1',
        'w.test. 5 IN AAAA fd00::2',
        'w.test. 5 IN AAAA fd00::1',
      ],
    ],
    [
      'TTLs move with their records',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 9 IN A 10.0.0.2'],
      {},
      0,
      ['w.test. 9 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.1'],
    ],
    [
      'different owners are not mixed',
      ['a.test. 5 IN A 10.0.0.1', 'b.test. 5 IN A 10.0.0.2'],
      {},
      0,
      ['a.test. 5 IN A 10.0.0.1', 'b.test. 5 IN A 10.0.0.2'],
    ],
    [
      'a record between ends the run',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN TXT x', 'w.test. 5 IN A 10.0.0.2'],
      { qtype: 'ANY' },
      0,
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN TXT "x"', 'w.test. 5 IN A 10.0.0.2'],
    ],
    [
      'MX',
      ['m.test. 5 IN MX 10 a.test.', 'm.test. 5 IN MX 20 bb.test.', 'm.test. 5 IN MX 30 ccc.test.'],
      { qtype: 'MX' },
      0,
      ['m.test. 5 IN MX 20 bb.test.', 'm.test. 5 IN MX 30 ccc.test.', 'm.test. 5 IN MX 10 a.test.'],
    ],
    [
      'NXDOMAIN untouched',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
      { rcode: 3 },
      0,
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
    ],
    [
      'AXFR untouched',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
      { qtype: 'AXFR' },
      0,
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
    ],
    ['one answer', ['w.test. 5 IN A 10.0.0.1'], {}, 0, ['w.test. 5 IN A 10.0.0.1']],
  ];
  for (const [label, answers, options, r, after] of cases) {
    for (const [how, wire] of [
      ['dns-packet', dnsPacket.encode(packet(answers, options))],
      ['compressed', encodeWithin(packet(answers, options), 65535)],
    ] as const) {
      shuffleWire(wire, always(r));
      assert.deepEqual(answersOf(wire), after, `${label} (${how})`);
    }
  }
});

test('every order of three is reached, once per pair of draws', () => {
  const seen = new Set<string>();
  for (const r1 of [1 / 6, 3 / 6, 5 / 6])
    for (const r2 of [1 / 4, 3 / 4]) {
      const draws = [r1, r2];
      const wire = encodeWithin(
        packet(['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3']),
        512,
      );
      shuffleWire(wire, () => draws.shift()!);
      seen.add(
        answersOf(wire)
          .map((l) => l.slice(-1))
          .join(''),
      );
    }
  assert.deepEqual([...seen].sort(), ['123', '132', '213', '231', '312', '321']);
});

/** An MX reply written by hand: mx.test MX 10 a.mx.test, MX 20 (EXCHANGE2), then A at (OWNER). */
function mxReply(exchange2: number[], additionalOwner: number[]): Uint8Array {
  const name = [2, 109, 120, 4, 116, 101, 115, 116, 0]; // mx.test at offset 12
  const mx = (pref: number, exchange: number[]) => [
    0xc0,
    12,
    0,
    15,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    exchange.length + 2,
    0,
    pref,
    ...exchange,
  ];
  return Uint8Array.from([
    0,
    7,
    0x81,
    0x80,
    0,
    1,
    0,
    2,
    0,
    0,
    0,
    1,
    ...name,
    0,
    15,
    0,
    1,
    ...mx(10, [1, 97, 0xc0, 12]), // at 25; a.mx.test at 39
    ...mx(20, exchange2),
    ...additionalOwner,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    4,
    10,
    0,
    0,
    1,
  ]);
}

test('MX runs move only when no compression pointer can break', () => {
  const b = [1, 98, 0xc0, 12]; // b.mx.test
  const cases: [string, Uint8Array, string[]][] = [
    [
      'nothing points into the run',
      mxReply(b, [1, 97, 0xc0, 12]),
      ['20 b.mx.test.', '10 a.mx.test.'],
    ],
    [
      'an additional owner points into it',
      mxReply(b, [0xc0, 39]),
      ['10 a.mx.test.', '20 b.mx.test.'],
    ],
    [
      'an exchange points into it',
      mxReply([1, 98, 0xc0, 39], [1, 97, 0xc0, 12]),
      ['10 a.mx.test.', '20 b.a.mx.test.'],
    ],
  ];
  for (const [label, wire, exchanges] of cases) {
    const before = dnsPacket.decode(Buffer.from(wire));
    shuffleWire(wire, always(0));
    const after = dnsPacket.decode(Buffer.from(wire));
    assert.deepEqual(
      after.answers!.map((a) => toPresentation(a).split(' MX ')[1]),
      exchanges,
      label,
    );
    assert.deepEqual(after.additionals, before.additionals, label);
  }
});
