import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inAnyNetwork, parseNetwork } from './ip-network.ts';

test('networks parse as CIDR or a bare address; anything else is undefined', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.0/8', '4 10.0.0.0/8'],
    ['10.1.2.3/8', '4 10.0.0.0/8'], // host bits dropped
    ['192.0.2.1', '4 192.0.2.1/32'],
    ['0.0.0.0/0', '4 0.0.0.0/0'],
    ['fd00::/8', '6 253.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0/8'],
    ['::1', '6 0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1/128'],
    ['::ffff:10.0.0.0/104', '4 10.0.0.0/8'],
    ['10.0.0.0/33', undefined],
    ['10.0.0.0/-1', undefined],
    ['10.0.0.0/08', undefined],
    ['fd00::/129', undefined],
    ['example.com', undefined],
    ['10.0.0/8', undefined],
    ['', undefined],
  ];
  for (const [text, want] of cases) {
    const n = parseNetwork(text);
    assert.equal(n && `${n.family} ${n.bytes.join('.')}/${n.prefix}`, want, text);
  }
});

test('membership: prefix bits compared, families apart, mapped clients as IPv4', () => {
  const nets = ['10.0.0.0/8', '192.0.2.128/25', '2001:db8::/32'].map((t) => parseNetwork(t)!);
  const cases: [string, boolean][] = [
    ['10.255.0.1', true],
    ['11.0.0.1', false],
    ['192.0.2.128', true],
    ['192.0.2.127', false],
    ['::ffff:10.1.1.1', true],
    ['2001:db8:ffff::1', true],
    ['2001:db9::1', false],
    ['::a00:1', false], // not mapped: an IPv6 address, not 10.0.0.1
    ['not an address', false],
  ];
  for (const [address, want] of cases) assert.equal(inAnyNetwork(nets, address), want, address);
  assert.equal(inAnyNetwork([], '10.0.0.1'), false);
  assert.equal(inAnyNetwork([parseNetwork('0.0.0.0/0')!], '203.0.113.9'), true);
});
