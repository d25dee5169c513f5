import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNode, encodeNode, readHead } from './codec.ts';
import {
  hostsItem,
  hostsNodes,
  isRecordItemName,
  recordIndex,
  recordIndexEntries,
  zoneItem,
  zoneRecords,
  type RecordIndexEntry,
} from './codec-record-items.ts';
import { parseZoneFile } from '../../../sync/zonefile/parse-zone-file.ts';
import { hostsNodesFromText } from '../../../sync/hosts/hosts-nodes.ts';
import { toPresentation } from '../../../test/support/presentation.ts';
import { presentation } from '../../../test/support/node-presentation.ts';

const ZONE = [
  '$TTL 3600',
  '@ SOA ns1 hostmaster 7 7200 1800 1209600 300',
  '@ NS ns1',
  '@ MX 10 mail',
  '@ CAA 0 issue "ca.example.net"',
  '@ TXT "v=spf1 -all" "two strings"',
  'ns1 A 192.0.2.1',
  'mail AAAA 2001:db8::3',
  '_sip._tcp SRV 10 60 5060 mail',
  'svc SVCB 1 . alpn=h2,h3 port=8443',
  'www HTTPS 1 . ipv4hint=192.0.2.10',
  'alias CNAME www',
  'dn DNAME example.net.',
  '*.wild A 192.0.2.40',
  'sub NS ns.sub',
  'ns.sub A 192.0.2.50',
  'odd TYPE65534 \\# 3 abcdef',
].join('\n');

/** Through the table's codec too: the item as the edge reads it back. */
const stored = (node: ReturnType<typeof zoneItem>, partBytes?: number) => {
  const e = encodeNode(node, 'c1', 1, partBytes);
  return decodeNode(
    readHead(e.head),
    e.parts.map((p) => p.body!.B!),
  );
};

test('a zone item gives back every record, in file order, whatever its type', () => {
  const records = parseZoneFile(ZONE, { file: 'db.example.org', origin: 'example.org' });
  const item = zoneItem('example.org', records);
  assert.equal(item.name, '.zone/example.org');
  assert.deepEqual(zoneRecords(stored(item)).map(toPresentation), records.map(toPresentation));
});

test('a zone over one item is split into parts and joined again', () => {
  const lines = ['@ SOA ns hostmaster 1 1 1 1 1'];
  for (let i = 0; i < 25_000; i++) lines.push(`h${i} A 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  const records = parseZoneFile(lines.join('\n'), { file: 'db.big', origin: 'big.example' });
  const e = encodeNode(zoneItem('big.example', records), 'c1', 1, 100_000);
  assert.ok(e.parts.length > 1, `${e.parts.length} parts`);
  const back = zoneRecords(stored(zoneItem('big.example', records), 100_000));
  assert.equal(back.length, 25_001);
  assert.equal(toPresentation(back[25_000]!), 'h24999.big.example. 3600 IN A 10.0.97.167');
});

test('a hosts item keeps the file and the inline entries apart, sets in order', () => {
  const o = { zones: [''], ttl: 60, reverse: true };
  const file = hostsNodesFromText('192.0.2.1 a.example b.example\n2001:db8::1 a.example', o);
  const inline = hostsNodesFromText('192.0.2.9 c.example', o);
  const back = hostsNodes(stored(hostsItem(0, file, inline)));
  assert.deepEqual(presentation(back.file), presentation(file));
  assert.deepEqual(presentation(back.inline), presentation(inline));
});

test('the index lists zones and hosts sources with their options', () => {
  const entries: RecordIndexEntry[] = [
    {
      kind: 'hosts',
      item: '.hosts/0',
      zones: ['example.com'],
      fallthrough: [],
      fallthroughUnsupported: false,
    },
    { kind: 'file', origin: 'example.org' },
  ];
  assert.deepEqual(recordIndexEntries(stored(recordIndex(entries))), entries);
});

test('record items are the only internal keys a node may have', () => {
  assert.deepEqual(
    ['.records', '.zone/example.org', '.hosts/0', '.part/x', '.edge-dns/fence', 'www'].map(
      isRecordItemName,
    ),
    [true, true, true, false, false, false],
  );
  assert.throws(() => encodeNode({ name: '.part/x', sets: [] }, 'c1', 1), /not a storable/);
});
