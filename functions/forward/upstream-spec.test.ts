// Upstream specs as CoreDNS's forward writes them, and resolv.conf nameservers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUpstreamSpec, resolvConfNameservers } from './upstream-spec.ts';

const good: [string, ReturnType<typeof parseUpstreamSpec>][] = [
  ['127.0.0.1', { kind: 'udp', address: '127.0.0.1:53' }],
  ['127.0.0.1:5353', { kind: 'udp', address: '127.0.0.1:5353' }],
  ['dns://127.0.0.1:54', { kind: 'udp', address: '127.0.0.1:54' }],
  ['udp://127.0.0.1', { kind: 'udp', address: '127.0.0.1:53' }],
  ['tcp://127.0.0.1:53', { kind: 'tcp', address: '127.0.0.1:53' }],
  ['[::1]:53', { kind: 'udp', address: '[::1]:53' }],
  ['::1', { kind: 'udp', address: '[::1]:53' }],
  ['tls://127.0.0.1', { kind: 'tls', address: '127.0.0.1:853' }],
  ['tls://127.0.0.1:8853', { kind: 'tls', address: '127.0.0.1:8853' }],
  [
    'tls://9.9.9.9#dns.quad9.net',
    { kind: 'tls', address: '9.9.9.9:853', serverName: 'dns.quad9.net' },
  ],
  ['tls://[::1]:853#localhost.', { kind: 'tls', address: '[::1]:853', serverName: 'localhost' }],
  ['https://dns.example/dns-query', { kind: 'https', url: 'https://dns.example/dns-query' }],
  ['/etc/resolv.conf', { kind: 'resolv.conf', path: '/etc/resolv.conf' }],
];
for (const [text, spec] of good)
  test(`upstream ${text}`, () => assert.deepEqual(parseUpstreamSpec(text), spec));

const bad: [string, RegExp][] = [
  ['dns.example:53', /expected an IP address/],
  ['quic://127.0.0.1', /unknown scheme quic:\/\//],
  ['tls://dns.quad9.net', /expected an IP address/],
  ['tls://9.9.9.9#', /expected a host name after #/],
  ['tls://9.9.9.9#bad_name', /expected a host name after #/],
  ['tcp://9.9.9.9#dns.quad9.net', /#NAME .* is for tls:\/\/ only/],
  ['127.0.0.1:70000', /1-65535/],
  ['300.1.1.1', /expected an IP address/],
];
for (const [text, message] of bad)
  test(`upstream ${text} is refused`, () => assert.throws(() => parseUpstreamSpec(text), message));

test('resolv.conf: nameserver lines only, zoned link-local left out', () => {
  const text =
    '# generated\nsearch default.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\nnameserver fe80::1%eth0\n  nameserver ::1\noptions ndots:5\n';
  assert.deepEqual(resolvConfNameservers(text), ['10.96.0.10', '::1']);
});
