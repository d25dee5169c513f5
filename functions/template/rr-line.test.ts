import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toPresentation } from '../../test/support/presentation.ts';
import { parseRrLine } from './rr-line.ts';

test('records as templates render them, in presentation format', () => {
  const cases: [string, string][] = [
    ['ip-10-95-12-8.example. 60 IN A 10.95.12.8', 'ip-10-95-12-8.example. 60 IN A 10.95.12.8'],
    ['Foo.Example. IN 60 AAAA 2001:DB8::1', 'Foo.Example. 60 IN AAAA 2001:db8::1'],
    ['a.example AAAA ::ffff:10.0.0.1', 'a.example. 3600 IN AAAA ::ffff:a00:1'],
    ['foogle.com 60 IN CNAME google.com', 'foogle.com. 60 IN CNAME google.com.'],
    [
      '4.3.2.1.in-addr.arpa. 60 IN PTR ip-1-2-3-4.example.',
      '4.3.2.1.in-addr.arpa. 60 IN PTR ip-1-2-3-4.example.',
    ],
    ['ip-1.example. 60 MX 10 ip-1.example.', 'ip-1.example. 60 IN MX 10 ip-1.example.'],
    [
      '_x._tcp.example. 60 IN SRV 10 20 443 web.example.',
      '_x._tcp.example. 60 IN SRV 10 20 443 web.example.',
    ],
    ['example. 60 IN NS ns0.example.', 'example. 60 IN NS ns0.example.'],
    ['coredns.invalid. 60 CH TXT "test"', 'coredns.invalid. 60 CH TXT "test"'],
    ['t. 1h TXT "a \\"q\\" \\065" b ; comment', 't. 3600 IN TXT "a \\"q\\" A" "b"'],
    [
      'invalid. 60 IN SOA a.invalid. b.invalid. (1 60 60 60 60)',
      'invalid. 60 IN SOA a.invalid. b.invalid. 1 60 60 60 60',
    ],
    [
      '@ 2d IN SOA ns hostmaster (\n 2024010101 1h 15m 1w 30 )',
      '. 172800 IN SOA ns. hostmaster. 2024010101 3600 900 604800 30',
    ],
  ];
  for (const [line, want] of cases) assert.equal(toPresentation(parseRrLine(line)), want, line);
});

test('a TXT string over 255 octets is split, as miekg/dns splits it', () => {
  const rr = parseRrLine(`t. TXT "${'x'.repeat(300)}"`);
  assert.deepEqual(
    (rr as { data: Buffer[] }).data.map((b) => b.length),
    [255, 45],
  );
});

test('what is not a record says why', () => {
  const cases: [string, RegExp][] = [
    ['test.example.', /expected a type after "test\.example\."/],
    ['', /empty record/],
    ['a. 60 IN HINFO x y', /type "HINFO" is not one a template may answer/],
    ['a. 60 IN A 10.0.0', /bad A address "10\.0\.0"/],
    ['a. 60 IN A ::1', /bad A address "::1"/],
    ['a. 60 IN AAAA 10.0.0.1', /bad AAAA address/],
    ['a. 60 IN A 10.0.0.1 10.0.0.2', /A wants 1 rdata field, got 2/],
    ['a. 60 IN MX 70000 b.', /bad preference "70000"/],
    ['a. 99999999999 IN A 10.0.0.1', /TTL out of range/],
    ['a. 60x IN A 10.0.0.1', /not a TTL: "60x"/],
    ['a..b. 60 IN A 10.0.0.1', /bad owner "a\.\.b\."/],
    ['a. 60 IN SOA a. b. (1 2 3 4 5', /unbalanced parentheses/],
    ['a. TXT "open', /unterminated quoted string/],
    ['a. 60 IN A 10.0.0.1\nb. 60 IN A 10.0.0.2', /more than one record/],
  ];
  for (const [line, message] of cases) assert.throws(() => parseRrLine(line), message, line);
});
