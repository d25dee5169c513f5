import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseZoneFile } from './parse-zone-file.ts';
import { ZoneFileError } from './zone-file-error.ts';
import { toPresentation } from '../../test/support/presentation.ts';

const SOA = '@ 3600 IN SOA ns1 hostmaster 1 7200 1800 1209600 300';
const SOA_TEXT =
  'example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 1800 1209600 300';

/** The zone `lines` (an SOA first unless they hold one), as presentation lines without it. */
function parse(lines: string[], read?: (path: string) => string): string[] {
  const text = lines.some((l) => /\bSOA\b/.test(l)) ? lines : [SOA, ...lines];
  return parseZoneFile(text.join('\n'), { file: 'db.example.org', origin: 'example.org', read })
    .map(toPresentation)
    .filter((l) => l !== SOA_TEXT);
}

const cases: { name: string; zone: string[]; records: string[] }[] = [
  {
    name: 'relative names, @, blank owner, $TTL',
    zone: ['$TTL 300', 'www A 192.0.2.1', '  AAAA 2001:DB8:0::1', '@ MX 10 mail'],
    records: [
      'www.example.org. 300 IN A 192.0.2.1',
      'www.example.org. 300 IN AAAA 2001:db8::1',
      'example.org. 300 IN MX 10 mail.example.org.',
    ],
  },
  {
    name: 'TTL and class in either order, TTL units (NSD, BIND)',
    zone: [
      'a 1h30m IN A 192.0.2.1',
      'b IN 2d A 192.0.2.2',
      'c 1W A 192.0.2.3',
      'd 1h30 A 192.0.2.4',
    ],
    records: [
      'a.example.org. 5400 IN A 192.0.2.1',
      'b.example.org. 172800 IN A 192.0.2.2',
      'c.example.org. 604800 IN A 192.0.2.3',
      'd.example.org. 3630 IN A 192.0.2.4',
    ],
  },
  {
    name: 'without $TTL: the last TTL written (RFC 1035 §5.1), else 3600',
    zone: ['a A 192.0.2.1', 'b 60 A 192.0.2.2', 'c A 192.0.2.3'],
    records: [
      'a.example.org. 3600 IN A 192.0.2.1',
      'b.example.org. 60 IN A 192.0.2.2',
      'c.example.org. 60 IN A 192.0.2.3',
    ],
  },
  {
    name: 'parentheses across lines, comments, $ORIGIN relative to the origin',
    zone: [
      '$ORIGIN sub',
      'x ( 60 ; a comment',
      '  IN A',
      '192.0.2.9 ) ; done',
      '$ORIGIN example.org.',
      'y A 192.0.2.8',
    ],
    records: ['x.sub.example.org. 60 IN A 192.0.2.9', 'y.example.org. 60 IN A 192.0.2.8'],
  },
  {
    name: 'quoted strings with escapes, unquoted strings, several strings',
    zone: ['t TXT "a \\"quoted\\" word" plain "\\226\\128\\148" ";(not a comment)"'],
    records: [
      't.example.org. 3600 IN TXT "a \\"quoted\\" word" "plain" "\\226\\128\\148" ";(not a comment)"',
    ],
  },
  {
    name: 'names: absolute, escaped, mixed case, the root',
    zone: ['Mixed.Case CNAME Target.Example.NET.', 'e\\045x CNAME .', 'srv SRV 1 2 3 target'],
    records: [
      'mixed.case.example.org. 3600 IN CNAME target.example.net.',
      'e-x.example.org. 3600 IN CNAME .',
      'srv.example.org. 3600 IN SRV 1 2 3 target.example.org.',
    ],
  },
  {
    name: 'SOA, NS, PTR, DNAME, CAA',
    zone: [
      '@ SOA ns1 hostmaster ( 2024010101 1h 30m 2w 5m )',
      '@ NS ns1',
      'ptr PTR www',
      'dn DNAME example.net.',
      '@ CAA 128 issue "ca.example.net"',
    ],
    records: [
      'example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2024010101 3600 1800 1209600 300',
      'example.org. 3600 IN NS ns1.example.org.',
      'ptr.example.org. 3600 IN PTR www.example.org.',
      'dn.example.org. 3600 IN DNAME example.net.',
      'example.org. 3600 IN CAA \\# 21 800569737375656361 2e6578616d706c652e6e6574',
    ],
  },
  {
    name: 'HTTPS and SVCB as bytes, keys sorted (RFC 9460 Appendix D)',
    zone: ['h HTTPS 1 . port=8443 alpn="h2,h3" ipv4hint=192.0.2.1', 's SVCB 0 foo.example.com.'],
    records: [
      'h.example.org. 3600 IN UNKNOWN_65 \\# 27 00010000010006026832026833 0003000220fb 000400 04c0000201',
      's.example.org. 3600 IN UNKNOWN_64 \\# 19 0000 03666f6f076578616d706c6503636f6d00',
    ],
  },
  {
    name: 'generic RDATA (RFC 3597 §5): a known type decoded, an unknown one as bytes',
    zone: [
      'g TYPE1 \\# 4 C0000201',
      'g A \\# 4 c0000202',
      'u TYPE65280 \\# 3 abcd ef',
      'z TYPE999 \\# 0',
    ],
    records: [
      'g.example.org. 3600 IN A 192.0.2.1',
      'g.example.org. 3600 IN A 192.0.2.2',
      'u.example.org. 3600 IN UNKNOWN_65280 \\# 3 abcdef',
      'z.example.org. 3600 IN UNKNOWN_999 \\# 0',
    ],
  },
  {
    name: 'duplicates dropped (RFC 2181 §5), empty lines and comments skipped',
    zone: ['', '; only a comment', 'a A 192.0.2.1', 'a A 192.0.2.1', '   ', 'a A 192.0.2.2'],
    records: ['a.example.org. 3600 IN A 192.0.2.1', 'a.example.org. 3600 IN A 192.0.2.2'],
  },
];

for (const c of cases) {
  test(`zone file: ${c.name}`, () => {
    // Hex spacing in expectations is for reading only.
    const norm = (l: string) =>
      l.replace(/(\\# \d+ )(.*)$/, (_, a: string, b: string) => a + b.replace(/ /g, ''));
    assert.deepEqual(parse(c.zone), c.records.map(norm));
  });
}

test('$INCLUDE reads through `read`, relative to the including file, with its own origin', () => {
  const files: Record<string, string> = {
    'zones/inc.db': 'x A 192.0.2.1\n$ORIGIN deeper\ny A 192.0.2.2\n',
  };
  const seen: string[] = [];
  const read = (path: string) => {
    seen.push(path);
    const text = files[path];
    if (text === undefined) throw new Error('no such file');
    return text;
  };
  const text = [SOA, '$INCLUDE inc.db inc', 'after A 192.0.2.3'].join('\n');
  const records = parseZoneFile(text, {
    file: 'zones/db.example.org',
    origin: 'example.org.',
    read,
  });
  assert.deepEqual(seen, ['zones/inc.db']);
  assert.deepEqual(records.slice(1).map(toPresentation), [
    'x.inc.example.org. 3600 IN A 192.0.2.1',
    'y.deeper.inc.example.org. 3600 IN A 192.0.2.2',
    'after.example.org. 3600 IN A 192.0.2.3',
  ]);
  assert.throws(
    () => parseZoneFile(`${SOA}\n$INCLUDE missing.db`, { file: 'db', origin: 'example.org', read }),
    { message: 'db:2: $INCLUDE: cannot read missing.db: no such file' },
  );
});

test('arbitrary text never throws anything but ZoneFileError', () => {
  const pieces = fc.constantFrom(
    ...[
      '$ORIGIN',
      '$TTL',
      '$INCLUDE',
      '@',
      '(',
      ')',
      '"',
      '\\',
      ';',
      '\n',
      ' ',
      '\t',
      'IN',
      '3600',
    ],
    ...['1h30m', 'SOA', 'A', 'AAAA', 'TXT', 'HTTPS', 'SVCB', 'CAA', 'MX', 'SRV', 'DNAME', 'CNAME'],
    ...['TYPE1', 'TYPE65', '\\#', '4', 'c0000201', 'alpn=h2', 'mandatory=alpn', '.', 'a.b', '*'],
  );
  const text = fc.oneof(
    fc.string(),
    fc.array(pieces, { maxLength: 60 }).map((p) => p.join('')),
  );
  fc.assert(
    fc.property(text, fc.string(), (zone, included) => {
      try {
        parseZoneFile(`${SOA}\n${zone}`, {
          file: 'f',
          origin: 'example.org',
          read: () => included,
        });
      } catch (error) {
        if (!(error instanceof ZoneFileError)) throw error;
      }
    }),
    { numRuns: 2000 },
  );
});
