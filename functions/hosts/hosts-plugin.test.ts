import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsNodesFromText } from '../../sync/hosts/hosts-nodes.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { hostsPlugin, type HostsPluginOptions } from './hosts-plugin.ts';
import { HostsTable } from './hosts-table.ts';

// CoreDNS plugin/hosts hosts_test.go hostsExample: the lines that are not entries are skipped.
const hostsExample = `
127.0.0.1 localhost localhost.domain
::1 localhost localhost.domain
10.0.0.1 example.org
::FFFF:10.0.0.2 example.com
10.0.0.3 fallthrough-example.org
1.2.3.4 aa.example.com
5.6.7.8 *.apps.example.com
reload 5s
timeout 3600
`;

function tableOf(file: string, inline = '', zones = [''], reverse = true): HostsTable {
  const o = { zones, ttl: 3600, reverse };
  const table = new HostsTable(hostsNodesFromText(inline, o));
  table.replaceFile(hostsNodesFromText(file, o));
  return table;
}

const NEXT = emptySections('NOTIMP');

/** What a query gets: answer lines, NODATA, SERVFAIL, or `next` (the rest of the chain). */
async function ask(o: HostsPluginOptions, name: string, type: string): Promise<string[] | string> {
  const q: PluginQuery = {
    name,
    type,
    class: 'IN',
    flags: { cd: false, do: false },
    transport: 'udp',
    zone: '',
  };
  const s = await hostsPlugin(o)(q, async () => NEXT);
  if (s === NEXT) return 'next';
  if (s.rcode !== 'NOERROR') return s.rcode;
  assert.equal(s.aa, true, `${name} ${type}: authoritative`);
  assert.deepEqual([s.authorities, s.additionals], [[], []], `${name} ${type}: no SOA`);
  return s.answers.length === 0 ? 'NODATA' : s.answers.map(toPresentation);
}

type Case = [name: string, type: string, want: string[] | string];

test('hosts_test.go hostsTestCases (Origins ".", no fallthrough)', async () => {
  const o = { table: tableOf(hostsExample), zones: [''] };
  const cases: Case[] = [
    ['example.org', 'A', ['example.org. 3600 IN A 10.0.0.1']],
    ['example.com', 'A', ['example.com. 3600 IN A 10.0.0.2']],
    ['localhost', 'AAAA', ['localhost. 3600 IN AAAA ::1']],
    ['1.0.0.10.in-addr.arpa', 'PTR', ['1.0.0.10.in-addr.arpa. 3600 IN PTR example.org.']],
    ['2.0.0.10.in-addr.arpa', 'PTR', ['2.0.0.10.in-addr.arpa. 3600 IN PTR example.com.']],
    [
      '1.0.0.127.in-addr.arpa',
      'PTR',
      [
        '1.0.0.127.in-addr.arpa. 3600 IN PTR localhost.',
        '1.0.0.127.in-addr.arpa. 3600 IN PTR localhost.domain.',
      ],
    ],
    ['example.org', 'AAAA', 'NODATA'],
    ['example.org', 'MX', 'NODATA'],
    ['fallthrough-example.org', 'AAAA', 'NODATA'],
    ['aa.example.com', 'A', ['aa.example.com. 3600 IN A 1.2.3.4']],
    // The wildcard covers one label below it, not its own name (README "Wildcard records"):
    // CoreDNS's table lists apps.example.com with an answer, but its check skips a SERVFAIL.
    ['x.apps.example.com', 'A', ['x.apps.example.com. 3600 IN A 5.6.7.8']],
    ['apps.example.com', 'A', 'SERVFAIL'],
    ['deep.x.apps.example.com', 'A', 'SERVFAIL'],
    ['nope.example.org', 'A', 'SERVFAIL'],
  ];
  for (const [name, type, want] of cases)
    assert.deepEqual(await ask(o, name, type), want, `${name} ${type}`);
});

test('hosts_test.go TestFallthroughUnsupportedType: TXT at a name with an address', async () => {
  const table = tableOf(hostsExample);
  const cases: [string, Partial<HostsPluginOptions>, string][] = [
    ['example.org', { fallthrough: [] }, 'NODATA'],
    ['example.org', { fallthrough: [], fallthroughUnsupported: true }, 'next'],
    ['example.org', { fallthrough: ['example.net'], fallthroughUnsupported: true }, 'NODATA'],
    ['missing.example.org', { fallthrough: [] }, 'next'],
  ];
  for (const [name, extra, want] of cases)
    assert.equal(await ask({ table, zones: [''], ...extra }, name, 'TXT'), want, name);
});

test('zones, PTR whatever the zone, fallthrough zones, the question spelling kept', async () => {
  const table = tableOf('10.0.0.1 a.example.org\n10.0.0.2 b.example.net', '', ['example.org']);
  const o = { table, zones: ['example.org'], fallthrough: ['sub.example.org'] };
  const cases: Case[] = [
    ['A.Example.ORG', 'A', ['A.Example.ORG. 3600 IN A 10.0.0.1']],
    ['b.example.net', 'A', 'next'], // outside the zones, whatever the entries
    ['1.0.0.10.in-addr.arpa', 'PTR', ['1.0.0.10.in-addr.arpa. 3600 IN PTR a.example.org.']],
    ['2.0.0.10.in-addr.arpa', 'PTR', 'next'], // b.example.net is outside: no entry
    ['9.0.0.10.in-addr.arpa', 'PTR', 'next'], // no entry: next, even without fallthrough
    ['0.10.in-addr.arpa', 'PTR', 'next'], // not a whole address
    ['x.sub.example.org', 'A', 'next'], // fallthrough covers it
    ['x.example.org', 'A', 'SERVFAIL'], // it does not
    ['a.example.org', 'ANY', 'NODATA'],
    ['a.example.org', 'PTR', 'next'], // a PTR where no address is: next
  ];
  for (const [name, type, want] of cases)
    assert.deepEqual(await ask(o, name, type), want, `${name} ${type}`);
});

test('the file then the inline entries, each a wildcard only where it has no name', async () => {
  const table = tableOf(
    '192.168.33.10 *.example.com\n10.0.0.1 dup.example.com',
    '192.168.33.11 a.example.com\n10.0.0.1 dup.example.com\n10.0.0.9 dup.example.com',
  );
  const o = { table, zones: [''] };
  const cases: Case[] = [
    [
      'a.example.com',
      'A',
      ['a.example.com. 3600 IN A 192.168.33.10', 'a.example.com. 3600 IN A 192.168.33.11'],
    ],
    ['c.example.com', 'A', ['c.example.com. 3600 IN A 192.168.33.10']],
    [
      'dup.example.com',
      'A',
      ['dup.example.com. 3600 IN A 10.0.0.1', 'dup.example.com. 3600 IN A 10.0.0.9'],
    ],
    ['1.0.0.10.in-addr.arpa', 'PTR', ['1.0.0.10.in-addr.arpa. 3600 IN PTR dup.example.com.']],
    ['example.com', 'A', 'SERVFAIL'],
  ];
  for (const [name, type, want] of cases)
    assert.deepEqual(await ask(o, name, type), want, `${name} ${type}`);
});

test('IPv6 reverse names as CoreDNS reads them; no_reverse leaves PTR to next', async () => {
  const nibbles = `1.${'0.'.repeat(27)}0.8.e.f`;
  const o = { table: tableOf('fe80::1%lo0 localhost'), zones: [''] };
  assert.deepEqual(await ask(o, `${nibbles}.ip6.arpa`, 'PTR'), [
    `${nibbles}.ip6.arpa. 3600 IN PTR localhost.`,
  ]);
  // Labels past the last whole group of four are ignored (dnsutil.ExtractAddressFromReverse).
  assert.deepEqual(await ask(o, `x.${nibbles}.ip6.arpa`, 'PTR'), [
    `x.${nibbles}.ip6.arpa. 3600 IN PTR localhost.`,
  ]);
  const none = { table: tableOf('fe80::1 localhost', '', [''], false), zones: [''] };
  assert.equal(await ask(none, `${nibbles}.ip6.arpa`, 'PTR'), 'next');
});

test('a reload swaps the file records; the inline ones stay', async () => {
  const table = tableOf('10.0.0.1 old.example', '10.0.0.7 inline.example');
  const o = { table, zones: [''] };
  const before = table.version;
  table.replaceFile(
    hostsNodesFromText('10.0.0.2 new.example', { zones: [''], ttl: 60, reverse: true }),
  );
  assert.equal(table.version, before + 1);
  assert.equal(await ask(o, 'old.example', 'A'), 'SERVFAIL');
  assert.deepEqual(await ask(o, 'new.example', 'A'), ['new.example. 60 IN A 10.0.0.2']);
  assert.deepEqual(await ask(o, 'inline.example', 'A'), ['inline.example. 3600 IN A 10.0.0.7']);
  assert.equal(table.entries, 4); // one address and one PTR name from each
});
