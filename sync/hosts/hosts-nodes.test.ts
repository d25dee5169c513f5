import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presentation } from '../../test/support/node-presentation.ts';
import { parseHostsLines } from './hosts-lines.ts';
import { hostsNodesFromText, type HostsBuildOptions } from './hosts-nodes.ts';

const root: HostsBuildOptions = { zones: [''], ttl: 3600, reverse: true };
const rr = (text: string, o = root) => presentation(hostsNodesFromText(text, o));
const v6rev = (nibbles: string) => `${nibbles}.ip6.arpa.`;

// CoreDNS plugin/hosts hostsfile_test.go `hosts`: comments, aliases, an IPv6 zone, bogus lines.
const hosts = `255.255.255.255	broadcasthost
	127.0.0.2	odin
	127.0.0.3	odin  # inline comment
	::2             odin
	127.1.1.1	thor
	# aliases
	127.1.1.2	ullr ullrhost
	fe80::1%lo0	localhost
	# Bogus entries that must be ignored.
	123.123.123	loki
	321.321.321.321`;

test('hosts(5) lines: addresses in file order, PTR per address, bogus lines skipped', () => {
  assert.deepEqual(rr(hosts), [
    'broadcasthost. 3600 IN A 255.255.255.255',
    '255.255.255.255.in-addr.arpa. 3600 IN PTR broadcasthost.',
    'odin. 3600 IN A 127.0.0.2',
    'odin. 3600 IN A 127.0.0.3',
    'odin. 3600 IN AAAA ::2',
    '2.0.0.127.in-addr.arpa. 3600 IN PTR odin.',
    '3.0.0.127.in-addr.arpa. 3600 IN PTR odin.',
    `${v6rev(`2.${'0.'.repeat(30)}0`)} 3600 IN PTR odin.`,
    'thor. 3600 IN A 127.1.1.1',
    '1.1.1.127.in-addr.arpa. 3600 IN PTR thor.',
    'ullr. 3600 IN A 127.1.1.2',
    '2.1.1.127.in-addr.arpa. 3600 IN PTR ullr.',
    '2.1.1.127.in-addr.arpa. 3600 IN PTR ullrhost.',
    'ullrhost. 3600 IN A 127.1.1.2',
    'localhost. 3600 IN AAAA fe80::1',
    `${v6rev(`1.${'0.'.repeat(27)}0.8.e.f`)} 3600 IN PTR localhost.`,
  ]);
  assert.deepEqual(
    parseHostsLines(hosts).skipped.map((s) => [s.line, s.reason]),
    [
      [10, '"123.123.123" is not an IP address'],
      [11, 'expected an address and at least one name'],
    ],
  );
});

test('hostsfile_test.go ipv4hosts, ipv6hosts, casehosts: A/AAAA per name, names lowercased', () => {
  const cases: [string, string, string[]][] = [
    [
      'ipv4hosts',
      `# internet address and host name
	127.0.0.1	localhost	# inline comment separated by tab
	127.0.0.2	localhost       # inline comment separated by space
	127.0.0.3	localhost	localhost.localdomain`,
      [
        'localhost. 3600 IN A 127.0.0.1',
        'localhost. 3600 IN A 127.0.0.2',
        'localhost. 3600 IN A 127.0.0.3',
        'localhost.localdomain. 3600 IN A 127.0.0.3',
      ],
    ],
    [
      'ipv6hosts',
      `::1						localhost	# inline comment separated by tab
	fe80:0000:0000:0000:0000:0000:0000:0001		localhost       # inline comment separated by space
	fe80:0000:0000:0000:0000:0000:0000:0002%lo0	localhost
	fe80::3%lo0					localhost	localhost.localdomain`,
      [
        'localhost. 3600 IN AAAA ::1',
        'localhost. 3600 IN AAAA fe80::1',
        'localhost. 3600 IN AAAA fe80::2',
        'localhost. 3600 IN AAAA fe80::3',
        'localhost.localdomain. 3600 IN AAAA fe80::3',
      ],
    ],
    [
      'casehosts',
      `127.0.0.1	PreserveMe	PreserveMe.local
		::1		PreserveMe	PreserveMe.local`,
      [
        'preserveme. 3600 IN A 127.0.0.1',
        'preserveme. 3600 IN AAAA ::1',
        'preserveme.local. 3600 IN A 127.0.0.1',
        'preserveme.local. 3600 IN AAAA ::1',
      ],
    ],
  ];
  for (const [label, text, want] of cases) {
    const forward = rr(text).filter((l) => !l.includes('.arpa.'));
    assert.deepEqual(forward, want, label);
  }
});

test('an IPv4-mapped address is IPv4 (Go To4): A and an in-addr.arpa PTR', () => {
  assert.deepEqual(rr('::FFFF:10.0.0.2 example.com'), [
    'example.com. 3600 IN A 10.0.0.2',
    '2.0.0.10.in-addr.arpa. 3600 IN PTR example.com.',
  ]);
});

test('only names inside the zones; ttl; no_reverse; duplicates kept once', () => {
  const text = `10.0.0.1 a.example.org b.example.net
10.0.0.1 a.example.org.
10.0.0.2 example.org`;
  assert.deepEqual(rr(text, { zones: ['example.org'], ttl: 60, reverse: true }), [
    'a.example.org. 60 IN A 10.0.0.1',
    '1.0.0.10.in-addr.arpa. 60 IN PTR a.example.org.',
    'example.org. 60 IN A 10.0.0.2',
    '2.0.0.10.in-addr.arpa. 60 IN PTR example.org.',
  ]);
  assert.deepEqual(rr(text, { zones: ['example.net'], ttl: 5, reverse: false }), [
    'b.example.net. 5 IN A 10.0.0.1',
  ]);
});

test('a wildcard name gets its addresses and no PTR', () => {
  assert.deepEqual(rr('192.168.1.10 *.example.com www.example.com'), [
    '*.example.com. 3600 IN A 192.168.1.10',
    'www.example.com. 3600 IN A 192.168.1.10',
    '10.1.168.192.in-addr.arpa. 3600 IN PTR www.example.com.',
  ]);
});

test('names that cannot be DNS names are skipped, the rest of the line kept', () => {
  const text = `10.0.0.1 a..b ${'x'.repeat(64)} good\n10.0.0.2 .`;
  assert.deepEqual(rr(text), [
    'good. 3600 IN A 10.0.0.1',
    '1.0.0.10.in-addr.arpa. 3600 IN PTR good.',
  ]);
  assert.deepEqual(
    parseHostsLines(text).skipped.map((s) => s.reason),
    [
      'name "a..b": an empty label',
      `name "${'x'.repeat(64)}": a label over 63 octets`,
      'name ".": the root is not a host name',
    ],
  );
});
