import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goRegExp } from './go-regexp.ts';

/** Go's FindStringSubmatch, with named groups, or null. */
function find(
  pattern: string,
  s: string,
): { match: string[]; groups: Record<string, string> } | null {
  const m = goRegExp(pattern).exec(s);
  if (!m) return null;
  const groups = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, v ?? '']));
  return { match: [...m].map((x) => x ?? ''), groups };
}

test('the README and test patterns match as Go matches them', () => {
  const ip = '(^|[.])ip-(?P<a>[0-9]*)-(?P<b>[0-9]*)-(?P<c>[0-9]*)-(?P<d>[0-9]*)[.]example[.]$';
  assert.deepEqual(find(ip, 'ip-10-95-12-8.example.'), {
    match: ['ip-10-95-12-8.example.', '', '10', '95', '12', '8'],
    groups: { a: '10', b: '95', c: '12', d: '8' },
  });
  assert.deepEqual(find(ip, 'foo.ip-1-2-3-4.example.')?.match, [
    '.ip-1-2-3-4.example.',
    '.',
    '1',
    '2',
    '3',
    '4',
  ]);
  assert.equal(find(ip, 'ip-1-2-3-4.example.com.'), null);
  const ptr = '^(?P<d>[0-9]*)[.](?P<c>[0-9]*)[.](?P<b>[0-9]*)[.](?P<a>[0-9]*)[.]in-addr[.]arpa[.]$';
  assert.deepEqual(find(ptr, '4.3.2.1.in-addr.arpa.')?.groups, { d: '4', c: '3', b: '2', a: '1' });
  const hex = '^ip0a(?P<b>[a-f0-9]{2})(?P<c>[a-f0-9]{2})(?P<d>[a-f0-9]{2})[.]example[.]$';
  assert.deepEqual(find(hex, 'ip0a5f0c09.example.')?.groups, { b: '5f', c: '0c', d: '09' });
  assert.equal(find('$^', 'some.test.'), null);
  assert.deepEqual(
    find('example\\.com\\.(dc1\\.example\\.com\\.)$', 'a.example.com.dc1.example.com.')?.match,
    ['example.com.dc1.example.com.', 'dc1.example.com.'],
  );
});

test('RE2 syntax JavaScript spells differently', () => {
  const cases: [string, string, string | null][] = [
    ['(?i)^FOO', 'foo.example.', 'foo'],
    ['(?s)a.b', 'a\nb', 'a\nb'],
    ['a.b', 'a\nb', null],
    ['\\Aab\\z', 'ab', 'ab'],
    ['ab\\z', 'ab\n', null],
    ['\\Q.*+\\E', 'x.*+y', '.*+'],
    ['[[:digit:]]+', 'ab12c', '12'],
    ['[[:alpha:]_]+', '9a_b9', 'a_b'],
    ['[]a]+', 'x]a]', ']a]'],
    ['a{,2}', 'a{,2}', 'a{,2}'], // not a repetition in RE2: literal
    ['a{2}', 'aaa', 'aa'],
    ['x]', 'x]', 'x]'],
    ['\\x41\\x{42}\\101', 'ABA', 'ABA'],
    ['\\s+', 'a \tb', ' \t'],
    ['[\\s]', '\u00a0 ', ' '], // RE2's \s is ASCII
    ['\\.\\-', 'a.-', '.-'],
    ['(?:ab)+(?<n>c)', 'ababc', 'ababc'],
    ['\\a', '\u0007', '\u0007'],
  ];
  for (const [pattern, s, want] of cases)
    assert.equal(find(pattern, s)?.match[0] ?? null, want, pattern);
});

test('what RE2 rejects, or JavaScript cannot say here, is an error', () => {
  const cases: [string, RegExp][] = [
    ['(a)\\1', /back references are not RE2/],
    ['(?=a)', /unsupported group syntax/],
    ['(?<!a)b', /unsupported group syntax/],
    ['a(?i)b', /unsupported group syntax/],
    ['\\pL', /unsupported escape sequence \\p/],
    ['[[:^alpha:]]', /unsupported POSIX class/],
    ['[a', /missing closing \]/],
    ['a\\', /trailing backslash/],
    ['(a', /could not parse regex: \(a, /],
    ['x'.repeat(10001), /regex pattern too long: 10001 > 10000/],
  ];
  for (const [pattern, message] of cases)
    assert.throws(() => goRegExp(pattern), message, pattern.slice(0, 20));
});
