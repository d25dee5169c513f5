import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bareName, fqdn, isDomainName, normalizeName } from './domain-name.ts';

test('fully qualified, normalized and bare names', () => {
  const cases: [string, string, string][] = [
    // as written | fqdn | normalized
    ['Example.ORG', 'Example.ORG.', 'example.org.'],
    ['example.org.', 'example.org.', 'example.org.'],
    ['', '.', '.'],
    ['.', '.', '.'],
    ['a\\.', 'a\\..', 'a\\..'],
    ['a\\\\.', 'a\\\\.', 'a\\\\.'],
  ];
  for (const [name, full, normal] of cases) {
    assert.equal(fqdn(name), full, name);
    assert.equal(normalizeName(name), normal, name);
  }
  assert.equal(bareName('example.org.'), 'example.org');
  assert.equal(bareName('.'), '');
});

test('valid domain names (RFC 1035 §2.3.4)', () => {
  const cases: [string, boolean][] = [
    ['.', true],
    ['example.org.', true],
    ['example.org', true],
    ['example..org.', false],
    ['.example.org.', false],
    ['', false],
    [`${'a'.repeat(63)}.org.`, true],
    [`${'a'.repeat(64)}.org.`, false],
    [`${'\\097'.repeat(63)}.org.`, true],
    [`${'a\\.'.repeat(21)}.org.`, true], // a 42-octet label of escaped dots
    [`${'a\\.'.repeat(32)}.org.`, false], // a 64-octet one
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`, true], // 255 on the wire
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.`, false], // 256
  ];
  for (const [name, valid] of cases) assert.equal(isDomainName(name), valid, name);
});
