import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashedIp, parseIp, reverseName } from './ip.ts';

test('parseIp accepts what Go net.ParseIP accepts and canonicalizes (RFC 5952 §4)', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.1', '10.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['010.0.0.1', undefined], // leading zeros rejected since Go 1.17
    ['256.0.0.1', undefined],
    ['10.0.0', undefined],
    ['None', undefined],
    ['', undefined],
    ['example.com', undefined],
    ['fd00::1', 'fd00::1'],
    ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first longest run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['::', '::'],
    ['::1', '::1'],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1::2:3:4:5:6:7:8', undefined], // :: must stand for at least one group
    ['::ffff:10.0.0.1', '10.0.0.1'], // IPv4-mapped is IPv4 (Go To4)
    ['64:ff9b::10.0.0.1', '64:ff9b::a00:1'],
  ];
  for (const [input, want] of cases) assert.equal(parseIp(input)?.text, want, input);
});

test('dashed labels and reverse names', () => {
  const cases: [string, string, string][] = [
    ['10.0.0.1', '10-0-0-1', '1.0.0.10.in-addr.arpa'],
    [
      'fd00::1',
      'fd00--1',
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa',
    ],
    [
      '2001:db8::5',
      '2001-db8--5',
      '5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    ],
  ];
  for (const [input, dashed, reverse] of cases) {
    const ip = parseIp(input);
    assert.ok(ip, input);
    assert.equal(dashedIp(ip), dashed);
    assert.equal(reverseName(ip), reverse);
  }
});
