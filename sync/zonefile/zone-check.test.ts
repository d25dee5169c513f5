import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZoneFile } from './parse-zone-file.ts';
import { ZoneFileError } from './zone-file-error.ts';

const SOA = '@ 3600 IN SOA ns1 hostmaster 1 7200 1800 1209600 300';

/** Each bad zone and the error it gives: file, line, what was expected (NSD's wording). */
const cases: { zone: string[]; error: string }[] = [
  // The checks of NSD's zone compiler.
  { zone: ['www A 192.0.2.1'], error: "db.example.org:1: zone 'example.org' has no SOA record" },
  {
    zone: [SOA, SOA.replace(' 1 ', ' 2 ')],
    error: 'db.example.org:2: this SOA record was already encountered',
  },
  {
    zone: [SOA, 'www SOA ns1 hostmaster 1 2 3 4 5'],
    error:
      "db.example.org:2: SOA record with invalid domain name, 'www.example.org' is not 'example.org'",
  },
  {
    zone: [SOA, 'www.example.net. A 192.0.2.1'],
    error:
      "db.example.org:2: out of zone data: 'www.example.net' is outside the zone 'example.org'",
  },
  {
    zone: [SOA, 'a A 192.0.2.1', 'a CNAME b'],
    error: 'db.example.org:3: CNAME and other data at the same name',
  },
  {
    zone: [SOA, 'a CNAME b', 'a TXT "x"'],
    error: 'db.example.org:3: CNAME and other data at the same name',
  },
  {
    zone: [SOA, 'a CNAME b', 'a CNAME c'],
    error: 'db.example.org:3: multiple CNAMEs at the same name',
  },
  {
    zone: [SOA, 'a DNAME b', 'a DNAME c'],
    error: 'db.example.org:3: multiple DNAMEs at the same name',
  },
  {
    zone: [SOA, 'a DNAME b', 'a CNAME c'],
    error: 'db.example.org:3: DNAME and CNAME at the same name',
  },
  {
    zone: [SOA, 'x.a A 192.0.2.1', 'a DNAME b'],
    error:
      "db.example.org:2: 'x.a.example.org' is below the DNAME at 'a.example.org', which allows no data below it",
  },
  // Fields.
  {
    zone: [SOA, 'a AAAA 10.0.0.1'],
    error: "db.example.org:2: AAAA: '10.0.0.1' is not an IPv6 address",
  },
  {
    zone: [SOA, 'a A 10.0.0.256'],
    error: "db.example.org:2: A: '10.0.0.256' is not an IPv4 address",
  },
  { zone: [SOA, 'a A'], error: 'db.example.org:2: A: expected ADDRESS' },
  { zone: [SOA, 'a MX 10'], error: 'db.example.org:2: MX: expected PREFERENCE EXCHANGE' },
  {
    zone: [SOA, 'a MX 70000 b'],
    error: "db.example.org:2: MX PREFERENCE: '70000' is not a number in 0..65535",
  },
  {
    zone: [SOA, 'a 99999999999 A 192.0.2.1'],
    error: "db.example.org:2: TTL: '99999999999' is not a TTL (0..2147483647, or 1h30m)",
  },
  { zone: [SOA, 'a CH A 192.0.2.1'], error: 'db.example.org:2: CH: only class IN is supported' },
  {
    zone: [SOA, 'a LOC 1 2 3'],
    error:
      "db.example.org:2: unknown type 'LOC': edge-dns reads A NS CNAME SOA PTR MX TXT AAAA SRV DNAME SVCB HTTPS CAA and TYPEnnn",
  },
  { zone: [SOA, 'a'], error: 'db.example.org:2: expected a type after the owner, TTL and class' },
  { zone: [SOA, 'a TXT "x'], error: 'db.example.org:2: a quoted string is not closed on its line' },
  { zone: [SOA, 'a TXT ( "x"', 'b'], error: "db.example.org:2: '(' is not closed" },
  { zone: [SOA, 'a TXT x )'], error: "db.example.org:2: ')' without '('" },
  { zone: [SOA, 'a TXT "\\999"'], error: "db.example.org:2: TXT: '\\999' is not a byte" },
  {
    zone: [SOA, `a TXT "${'x'.repeat(256)}"`],
    error: 'db.example.org:2: TXT: a character-string holds at most 255 bytes, this one 256',
  },
  {
    zone: [SOA, `${'x'.repeat(64)} A 192.0.2.1`],
    error: `db.example.org:2: owner: a label of '${'x'.repeat(64)}' is longer than 63 bytes`,
  },
  { zone: [SOA, 'a..b A 192.0.2.1'], error: "db.example.org:2: owner: 'a..b' has an empty label" },
  {
    zone: [SOA, 'a\\000b A 192.0.2.1'],
    error:
      "db.example.org:2: owner: 'a\\000b': edge-dns keeps labels of printable ASCII without '.'",
  },
  {
    zone: [SOA, 'a TYPE99 \\# 2 abc'],
    error: "db.example.org:2: TYPE99: generic RDATA is hex digits in pairs, got 'abc'",
  },
  {
    zone: [SOA, 'a TYPE99 \\# 3 abcd'],
    error: 'db.example.org:2: TYPE99: LENGTH says 3 bytes, the hex holds 2',
  },
  { zone: [SOA, 'a A \\# 3 abcdef'], error: 'db.example.org:2: A: generic RDATA is not a valid A' },
  {
    zone: [SOA, 'a TYPE99 00'],
    error: "db.example.org:2: TYPE99: expected generic RDATA '\\# LENGTH HEX'",
  },
  {
    zone: [SOA, 'a HTTPS 1 . alpn'],
    error: "db.example.org:2: HTTPS: SvcParamKey 'alpn' needs a value",
  },
  {
    zone: [SOA, 'a HTTPS 1 . bogus=1'],
    error: "db.example.org:2: HTTPS: unknown SvcParamKey 'bogus'",
  },
  {
    zone: [SOA, 'a HTTPS 1 . port=1 port=2'],
    error: "db.example.org:2: HTTPS: SvcParamKey 'port' appears twice",
  },
  {
    zone: [SOA, 'a SVCB 1 . mandatory=port'],
    error: 'db.example.org:2: SVCB: mandatory lists key3, which is absent',
  },
  {
    zone: [SOA, 'a SVCB 1 . ipv6hint=192.0.2.1'],
    error: "db.example.org:2: SVCB: ipv6hint: '192.0.2.1' is not an IPv6 address",
  },
  {
    zone: [SOA, 'a CAA 0 is-sue "x"'],
    error: "db.example.org:2: CAA TAG: 'is-sue' is not 1 to 15 letters and digits",
  },
  // Directives.
  {
    zone: [SOA, '$TTL forever'],
    error: 'db.example.org:2: $TTL: expected one TTL, such as 3600 or 1h30m',
  },
  {
    zone: [SOA, '$GENERATE 1-2 a$ A 192.0.2.$'],
    error: 'db.example.org:2: $GENERATE: edge-dns reads $ORIGIN, $TTL and $INCLUDE',
  },
  {
    zone: [SOA, '$INCLUDE other.db'],
    error: 'db.example.org:2: $INCLUDE: this zone file is read without access to other files',
  },
  { zone: [SOA, '$ORIGIN'], error: 'db.example.org:2: $ORIGIN: expected one domain name' },
];

for (const c of cases) {
  test(`rejects: ${c.zone[c.zone.length - 1]!.slice(0, 60)}`, () => {
    const parse = () =>
      parseZoneFile(c.zone.join('\n'), { file: 'db.example.org', origin: 'example.org' });
    assert.throws(parse, (error: unknown) => {
      assert.ok(error instanceof ZoneFileError, String(error));
      assert.equal(error.message, c.error);
      return true;
    });
  });
}

test('an $INCLUDE loop stops at the nesting limit, naming the file', () => {
  const read = () => '$INCLUDE self.db';
  assert.throws(
    () => parseZoneFile(`${SOA}\n$INCLUDE self.db`, { file: 'db', origin: 'example.org', read }),
    { message: 'self.db:1: $INCLUDE: nested more than 10 deep' },
  );
});

test('RRSIG and NSEC may stand beside a CNAME (RFC 4035 §2.5)', () => {
  const zone = [SOA, 'a CNAME b', 'a TYPE46 \\# 1 00', 'a TYPE47 \\# 1 00'].join('\n');
  assert.equal(parseZoneFile(zone, { file: 'db', origin: 'example.org' }).length, 4);
});
