import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyText, parseServerKey } from './server-key.ts';
import { reverseZones } from './reverse-zone.ts';

test('server keys: scheme, canonical zone and port, as CoreDNS splits them', () => {
  const table: [written: string, keys: string][] = [
    ['.', 'dns://.'],
    ['.:53', 'dns://.:53'],
    [':1053', 'dns://.:1053'], // no zone: the root, as CoreDNS reads ':1053'
    ['Example.ORG.', 'dns://example.org.'],
    ['cluster.local:53', 'dns://cluster.local.:53'],
    ['dns://example.org:1053', 'dns://example.org.:1053'],
    ['tls://.:853', 'tls://.:853'],
    ['https://example.org', 'https://example.org.'],
    ['https3://example.org:443', 'https3://example.org.:443'],
    ['grpc://.', 'grpc://.'],
    ['quic://example.org:853', 'quic://example.org.:853'],
    ['_tcp.example.org', 'dns://_tcp.example.org.'],
    ['.:0', 'dns://.:0'],
    ['10.0.0.0/24', 'dns://0.0.10.in-addr.arpa.'],
    ['10.0.0.0/24:1053', 'dns://0.0.10.in-addr.arpa.:1053'],
    [
      '10.0.0.0/22',
      'dns://0.0.10.in-addr.arpa. dns://1.0.10.in-addr.arpa. dns://2.0.10.in-addr.arpa. dns://3.0.10.in-addr.arpa.',
    ],
    ['2001:db8::/32', 'dns://8.b.d.0.1.0.0.2.ip6.arpa.'],
    ['2001:db8::/32:53', 'dns://8.b.d.0.1.0.0.2.ip6.arpa.:53'],
    ['in-addr.arpa', 'dns://in-addr.arpa.'],
  ];
  for (const [written, keys] of table) {
    const parsed = parseServerKey(written);
    assert.ok('keys' in parsed, `${written}: ${'error' in parsed ? parsed.error : ''}`);
    assert.equal(parsed.keys.map(keyText).join(' '), keys, written);
  }
});

test('bad server keys say what was expected', () => {
  const table: [written: string, error: string][] = [
    ['example.org:', "expected a port number after ':' in 'example.org:', not ''"],
    ['example.org:dns', "expected a port number after ':' in 'example.org:dns', not 'dns'"],
    ['example.org:65536', "port 65536 in 'example.org:65536' is over 65535"],
    [
      'http://example.org',
      "unknown scheme 'http://' in 'http://example.org': expected dns://, tls://, https://, https3://, grpc://, quic://",
    ],
    [
      'exa mple',
      "expected a zone such as example.org, '.' or a CIDR in 'exa mple', not 'exa mple'",
    ],
    ['a..b', "expected a zone such as example.org, '.' or a CIDR in 'a..b', not 'a..b'"],
    ['..', "expected a zone such as example.org, '.' or a CIDR in '..', not '..'"],
    [
      '*.example.org',
      "expected a zone such as example.org, '.' or a CIDR in '*.example.org', not '*.example.org'",
    ],
    [
      `${'a'.repeat(64)}.org`,
      `expected a zone such as example.org, '.' or a CIDR in '${'a'.repeat(64)}.org', not '${'a'.repeat(64)}.org'`,
    ],
    ['10.0.0.0/33', "expected a CIDR such as 10.0.0.0/24 or fd00::/64, not '10.0.0.0/33'"],
    ['10.0.0/24', "expected a CIDR such as 10.0.0.0/24 or fd00::/64, not '10.0.0/24'"],
    ['10.0.0.0/x', "expected a CIDR such as 10.0.0.0/24 or fd00::/64, not '10.0.0.0/x'"],
    ['::/0', "invalid CIDR '::/0': write the reverse zone itself, such as ip6.arpa"],
    ['0::/0', "invalid CIDR '0::/0': write the reverse zone itself, such as ip6.arpa"],
  ];
  for (const [written, error] of table)
    assert.deepEqual(parseServerKey(written), { error }, written);
});

test("CIDRs as CoreDNS's reverse zones: label boundaries, and splits off them", () => {
  const table: [cidr: string, zones: string][] = [
    ['0.0.0.0/0', 'in-addr.arpa'],
    ['10.0.0.0/8', '10.in-addr.arpa'],
    ['10.1.0.0/16', '1.10.in-addr.arpa'],
    ['10.1.2.3/24', '2.1.10.in-addr.arpa'], // host bits ignored, as Go's ParseCIDR masks them
    ['10.1.2.3/32', '3.2.1.10.in-addr.arpa'],
    ['172.16.0.0/15', '16.172.in-addr.arpa 17.172.in-addr.arpa'],
    ['192.168.1.4/31', '4.1.168.192.in-addr.arpa 5.1.168.192.in-addr.arpa'],
    ['10.0.0.0/7', '10.in-addr.arpa 11.in-addr.arpa'],
    ['2001:db8::/32', '8.b.d.0.1.0.0.2.ip6.arpa'],
    ['2001:db8::/31', '8.b.d.0.1.0.0.2.ip6.arpa 9.b.d.0.1.0.0.2.ip6.arpa'],
    ['fd00::/8', 'd.f.ip6.arpa'],
    ['fd00::/7', 'c.f.ip6.arpa d.f.ip6.arpa'],
    ['2001:db8::1/128', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'],
  ];
  for (const [cidr, zones] of table)
    assert.deepEqual(reverseZones(cidr), { zones: zones.split(' ') }, cidr);
  const zones = (cidr: string) => (reverseZones(cidr) as { zones: string[] }).zones;
  assert.equal(zones('10.0.0.0/1').length, 128);
  // RFC 2317's classless case: CoreDNS serves each /32 of a /25.
  const classless = zones('192.168.1.128/25');
  assert.equal(classless.length, 128);
  assert.equal(classless[0], '128.1.168.192.in-addr.arpa');
  assert.equal(classless[127], '255.1.168.192.in-addr.arpa');
});
