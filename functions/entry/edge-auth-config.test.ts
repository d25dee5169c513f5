// The edge's authorization variables (edge-auth-config.ts): what they configure, and every
// conflict named by its variable, never repeating a key or a token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeConfigFromEnv } from './edge-config.ts';

const base = { EDGE_DNS_TABLE: 'records', EDGE_DNS_CLUSTER: 'ci', AWS_REGION: 'eu-west-1' };
const SECRET = Buffer.alloc(32, 9).toString('base64url');
const KEYS = JSON.stringify({ keys: [{ kty: 'oct', k: SECRET, kid: 'hs' }] });

test('JWT keys alone close the edge; the policy and budget go with them', () => {
  const config = edgeConfigFromEnv({
    ...base,
    EDGE_DNS_JWT_KEYS: KEYS,
    EDGE_DNS_JWT_AUDIENCE: 'dns',
    EDGE_DNS_SCOPE_POLICY: 'nxdomain',
    EDGE_DNS_TOKEN_BUDGET: '5 10',
  });
  assert.ok(config.auth !== 'public');
  assert.deepEqual(config.auth.tokens, []);
  assert.equal(config.auth.jwt?.audience, 'dns');
  assert.equal(config.auth.jwt?.scopePolicy, 'nxdomain');
  assert.equal(config.auth.jwt?.keys?.secrets[0]?.kid, 'hs');
  assert.deepEqual(config.auth.budget, { perSecond: 5, burst: 10 });
});

test('every problem named by its variable', () => {
  const table: [Record<string, string>, RegExp][] = [
    [{ EDGE_DNS_JWT_KEYS: KEYS }, /EDGE_DNS_JWT_AUDIENCE: required with JWT keys/],
    [
      { EDGE_DNS_JWT_KEYS: '{"kty":"oct","k":"c2hvcnQ"}', EDGE_DNS_JWT_AUDIENCE: 'dns' },
      /EDGE_DNS_JWT_KEYS: key 0: /,
    ],
    [
      { EDGE_DNS_JWKS_URL: 'http://issuer.example/jwks', EDGE_DNS_JWT_AUDIENCE: 'dns' },
      /EDGE_DNS_JWKS_URL: expected an https:\/\/ URL/,
    ],
    [
      { EDGE_DNS_TOKENS: 'a-token-0123456789', EDGE_DNS_JWT_AUDIENCE: 'dns' },
      /EDGE_DNS_JWT_AUDIENCE: set EDGE_DNS_JWT_KEYS or EDGE_DNS_JWKS_URL too/,
    ],
    [
      { EDGE_DNS_TOKENS: 'a-token-0123456789', EDGE_DNS_SCOPE_POLICY: 'drop' },
      /EDGE_DNS_SCOPE_POLICY: expected refused or nxdomain/,
    ],
    [
      { EDGE_DNS_TOKENS: 'a-token-0123456789', EDGE_DNS_TOKEN_BUDGET: 'lots' },
      /EDGE_DNS_TOKEN_BUDGET: expected "PER_SECOND \[BURST\]"/,
    ],
    [
      { EDGE_DNS_PUBLIC: 'true', EDGE_DNS_JWT_KEYS: KEYS, EDGE_DNS_JWT_AUDIENCE: 'dns' },
      /EDGE_DNS_PUBLIC: choose one/,
    ],
    [
      { EDGE_DNS_PUBLIC: 'true', EDGE_DNS_TOKEN_BUDGET: '5' },
      /EDGE_DNS_TOKEN_BUDGET: a budget per token needs tokens/,
    ],
    [{}, /EDGE_DNS_TOKENS: required: .* or JWT keys/],
  ];
  for (const [env, want] of table) {
    assert.throws(
      () => edgeConfigFromEnv({ ...base, ...env }),
      (e: Error) => {
        assert.match(e.message, want);
        assert.ok(!e.message.includes(SECRET), 'never the key material');
        return true;
      },
    );
  }
});
