// Key text as EDGE_DNS_JWT_KEYS and --doh-jwt-keys take it: what is read, and what is refused
// with a message that names the key, never its material.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { parseJwtKeys } from './jwt-keys.ts';

const secret = Buffer.alloc(32, 7).toString('base64url');
const es = await generateKeyPair('ES256', { extractable: true });
const rs = await generateKeyPair('RS256', { extractable: true });
const ed = await generateKeyPair('EdDSA', { extractable: true });
const esJwk = { ...(await exportJWK(es.publicKey)), kid: 'es' };
const rsPem = await exportSPKI(rs.publicKey);
const edPem = await exportSPKI(ed.publicKey);

test('keys read: JWK Sets, one JWK, PEM keys, both', () => {
  const read = (text: string) => {
    const k = parseJwtKeys(text);
    assert.ok(!('problem' in k), `${text.slice(0, 40)}: ${'problem' in k ? k.problem : ''}`);
    return {
      jwks: k.jwks?.keys.map((j) => j.kid) ?? [],
      pems: k.pems.map((p) => p.alg),
      secrets: k.secrets.map((s) => [s.kid, s.key.length]),
    };
  };
  assert.deepEqual(read(JSON.stringify({ keys: [esJwk, { kty: 'oct', k: secret, kid: 'hs' }] })), {
    jwks: ['es'],
    pems: [],
    secrets: [['hs', 32]],
  });
  assert.deepEqual(read(JSON.stringify(esJwk)), { jwks: ['es'], pems: [], secrets: [] });
  assert.deepEqual(read(`${rsPem}\n${edPem}`), { jwks: [], pems: ['RS256', 'EdDSA'], secrets: [] });
  assert.deepEqual(read(`${JSON.stringify({ keys: [esJwk] })}\n${rsPem}`), {
    jwks: ['es'],
    pems: ['RS256'],
    secrets: [],
  });
});

test('keys refused, each with the reason', () => {
  const esPrivate = { ...esJwk, d: 'private' };
  const table: [string, RegExp][] = [
    ['', /expected a JWK Set/],
    ['{not json', /not valid JSON/],
    ['{"keys": []}', /without keys/],
    [JSON.stringify({ keys: [{ kty: 'oct', k: 'c2hvcnQ' }] }), /key 0: .*32 bytes/],
    [JSON.stringify({ keys: [esJwk, esPrivate] }), /key 1: a private key/],
    [JSON.stringify({ kty: 'RSA', alg: 'ES256' }), /alg must be RS256/],
    [JSON.stringify({ kty: 'EC', crv: 'P-384' }), /crv must be P-256/],
    [JSON.stringify({ kty: 'XYZ' }), /kty must be/],
    [`${rsPem}\n${rsPem}`, /two PEM keys for RS256/],
    ['-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----', /not an RSA, P-256 or Ed25519/],
  ];
  for (const [text, want] of table) {
    const k = parseJwtKeys(text);
    assert.ok('problem' in k, text);
    assert.match(k.problem, want);
    assert.ok(!k.problem.includes(secret) && !k.problem.includes('private'.repeat(2)));
  }
});
