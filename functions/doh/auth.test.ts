import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken, challenge, tokenChecker } from './auth.ts';

test('Authorization: Bearer <token> (RFC 6750 §2.1), the scheme in any case', () => {
  const table: [string | undefined, string | undefined][] = [
    ['Bearer t0ken', 't0ken'],
    ['bearer t0ken', 't0ken'],
    ['BEARER  abc.DEF-_~+/==', 'abc.DEF-_~+/=='],
    ['Basic dDBrZW4=', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Bearert0ken', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of table) assert.equal(bearerToken(header), want, String(header));
});

test('tokens: any configured one is ok; absent is missing; anything else invalid', () => {
  const check = tokenChecker(['first', 't0ken']);
  assert.equal(check('t0ken'), 'ok');
  assert.equal(check('first'), 'ok');
  for (const wrong of ['t0ke', 't0kenn', 'T0KEN', 'xfirst', ' t0ken', 'firstt0ken'])
    assert.equal(check(wrong), 'invalid', wrong);
  assert.equal(check(undefined), 'missing');
  assert.equal(check(''), 'missing');
  assert.equal(tokenChecker([])('t0ken'), 'invalid', 'no tokens: nothing passes');
  assert.equal(tokenChecker(['ünï'])('ünï'), 'ok', 'compared as UTF-8 bytes');
});

test('401 challenges (RFC 6750 §3, §3.1)', () => {
  assert.equal(challenge('missing'), 'Bearer realm="edge-dns"');
  assert.equal(challenge('invalid'), 'Bearer realm="edge-dns", error="invalid_token"');
});
