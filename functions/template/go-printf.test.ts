import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sprintf } from './go-printf.ts';
import { parseUint } from './go-template-functions.ts';
import type { GoValue } from './go-value.ts';

test('fmt.Sprintf verbs, flags, width and precision as Go prints them', () => {
  const cases: [string, GoValue[], string][] = [
    ['%s.%s', ['a', 'b'], 'a.b'],
    ['%d %v %x %X %o %b %c', [255n, -7n, 255n, 255n, 8n, 5n, 65n], '255 -7 ff FF 10 101 A'],
    ['%q %q', ['a"b\n', 65n], '"a\\"b\\n" \'A\''],
    ['%5s|%-5s|%05d|%+d|%.2s', ['ab', 'ab', 42n, 3n, 'abc'], '   ab|ab   |00042|+3|ab'],
    ['%t %v', [true, false], 'true false'],
    ['%v %.2f %e %g', [1.5, 3.14159, 1234.5, 1e21], '1.5 3.14 1.234500e+03 1e+21'],
    ['%x', ['hi'], '6869'],
    ['%v %s', [['a', 'b'], ['c']], '[a b] [c]'],
    ['%03d', [-5n], '-05'],
    ['%*d', [4n, 7n], '   7'],
    ['100%%', [], '100%'],
  ];
  for (const [format, args, want] of cases) assert.equal(sprintf(format, args), want, format);
});

test("Go's in-band errors: wrong type, missing, extra, no verb", () => {
  const cases: [string, GoValue[], string][] = [
    ['%d', ['abc'], '%!d(string=abc)'],
    ['%s', [5n], '%!s(int=5)'],
    ['%s', [null], '%!s(<nil>)'],
    ['%v', [null], '<nil>'],
    ['%d %d', [1n], '1 %!d(MISSING)'],
    ['%d', [1n, 'x', 2n], '1%!(EXTRA string=x, int=2)'],
    ['abc%', [], 'abc%!(NOVERB)'],
  ];
  for (const [format, args, want] of cases) assert.equal(sprintf(format, args), want, format);
});

test('parseInt is strconv.ParseUint', () => {
  const ok: [string, bigint, bigint, bigint][] = [
    ['5f', 16n, 8n, 95n],
    ['ff', 16n, 8n, 255n],
    ['0x1f', 0n, 64n, 31n],
    ['0b101', 0n, 0n, 5n],
    ['017', 0n, 64n, 15n],
    ['1_000', 0n, 64n, 1000n],
    ['18446744073709551615', 10n, 64n, 18446744073709551615n],
    ['Z', 36n, 64n, 35n],
  ];
  for (const [s, base, bits, want] of ok) assert.equal(parseUint(s, base, bits), want, s);
  const bad: [GoValue, GoValue, GoValue, string][] = [
    ['gg', 16n, 8n, 'strconv.ParseUint: parsing "gg": invalid syntax'],
    ['256', 10n, 8n, 'strconv.ParseUint: parsing "256": value out of range'],
    ['', 10n, 8n, 'strconv.ParseUint: parsing "": invalid syntax'],
    ['-1', 10n, 64n, 'strconv.ParseUint: parsing "-1": invalid syntax'],
    ['1', 1n, 64n, 'strconv.ParseUint: parsing "1": invalid base 1'],
    ['1', 10n, 65n, 'strconv.ParseUint: parsing "1": invalid bit size 65'],
    [5n, 10n, 8n, 'wrong type for value; expected string; got int'],
  ];
  for (const [s, base, bits, message] of bad)
    assert.throws(() => parseUint(s, base, bits), { message }, String(s));
});
