// The Web Crypto JWT verifier against tokens jose signs: a table of tokens and whether they are
// valid (the algorithm allow-list, keys chosen by kid, alg, use and key_ops, claims at the
// skew's edges, `crit`, malformed parts), then the JWK Set URL (served on 127.0.0.1): fetched
// once and cached, fetched again for an unknown kid only after the cooldown, a fetch past its
// deadline or failed is an invalid token, and concurrent tokens can share one fetch.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { jwtVerifier, type JwtVerifierOptions } from './jwt-verifier.ts';
import { parseJwtKeys, type JwtKeys } from './jwt-keys.ts';

const NOW = 1_800_000_000_000;
const S = NOW / 1000;
const hs = new Uint8Array(32).fill(5);
const es = await generateKeyPair('ES256', { extractable: true });
const es2 = await generateKeyPair('ES256', { extractable: true });
const rs = await generateKeyPair('RS256', { extractable: true });
// jose makes no RSA key under 2048 bits, nor signs with one: Web Crypto does both here.
const rsSmall = (await crypto.subtle.generateKey(
  {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 1024,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  true,
  ['sign', 'verify'],
)) as CryptoKeyPair;
const ed = await generateKeyPair('EdDSA', { extractable: true });
const jwk = async (key: CryptoKey, extra: Partial<JWK>) => ({
  ...(await exportJWK(key)),
  ...extra,
});

const keys = parseJwtKeys(
  [
    JSON.stringify({
      keys: [
        { kty: 'oct', k: Buffer.from(hs).toString('base64url'), kid: 'hs' },
        await jwk(es2.publicKey, { kid: 'es2' }),
        await jwk(es.publicKey, { kid: 'es', alg: 'ES256' }),
        await jwk(es2.publicKey, { kid: 'enc', use: 'enc' }),
        await jwk(es2.publicKey, { kid: 'ops', key_ops: ['encrypt'] }),
        await jwk(ed.publicKey, { kid: 'ed' }),
        await jwk(rsSmall.publicKey, { kid: 'small' }),
      ],
    }),
    await exportSPKI(rs.publicKey),
  ].join('\n'),
) as JwtKeys;
assert.ok(!('problem' in keys));

const sign = (
  alg: string,
  key: CryptoKey | Uint8Array,
  header: Record<string, unknown> = {},
  claims: Record<string, unknown> = {},
) =>
  new SignJWT({ aud: 'dns', iss: 'idp', exp: S + 60, ...claims })
    .setProtectedHeader({ alg, ...header })
    .sign(key);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** A token signed by Web Crypto, for what jose will not sign. */
const rawToken = async (
  header: Record<string, unknown>,
  params: AlgorithmIdentifier | HmacImportParams,
  key: CryptoKey,
) => {
  const data = `${b64(header)}.${b64({ aud: 'dns', iss: 'idp', exp: S + 60 })}`;
  const sig = await crypto.subtle.sign(params, key, Buffer.from(data));
  return `${data}.${Buffer.from(sig).toString('base64url')}`;
};
const hmac = await crypto.subtle.importKey('raw', hs, { name: 'HMAC', hash: 'SHA-256' }, false, [
  'sign',
]);

const verify = jwtVerifier({ keys, audience: 'dns', issuer: 'idp' });
const valid = async (token: string) => (await verify(token, NOW)) !== undefined;

test('tokens: valid or not', async () => {
  const good = await sign('ES256', es.privateKey, { kid: 'es' });
  const [h, p] = good.split('.');
  const table: [string, string, boolean][] = [
    ['HS256 by kid', await sign('HS256', hs, { kid: 'hs' }), true],
    ['HS256 signed by Web Crypto', await rawToken({ alg: 'HS256', kid: 'hs' }, 'HMAC', hmac), true],
    ['HS256, another kid', await sign('HS256', hs, { kid: 'nope' }), false],
    ['ES256 by kid', good, true],
    [
      'ES256 without kid: every ES256 key of the set is tried',
      await sign('ES256', es.privateKey),
      true,
    ],
    ['EdDSA by kid', await sign('EdDSA', ed.privateKey, { kid: 'ed' }), true],
    ['RS256 by the PEM key (no kid)', await sign('RS256', rs.privateKey), true],
    [
      'RS256 key under 2048 bits',
      await rawToken({ alg: 'RS256', kid: 'small' }, 'RSASSA-PKCS1-v1_5', rsSmall.privateKey),
      false,
    ],
    ['a key whose use is enc', await sign('ES256', es2.privateKey, { kid: 'enc' }), false],
    ['a key whose key_ops lack verify', await sign('ES256', es2.privateKey, { kid: 'ops' }), false],
    ['a kid of a key of another type', await sign('ES256', es.privateKey, { kid: 'ed' }), false],
    ['another key, same kid', await sign('ES256', es2.privateKey, { kid: 'es' }), false],
    ['HS384: not allowed', await sign('HS384', hs, { kid: 'hs' }), false],
    ['alg none', `${b64({ alg: 'none' })}.${p}.`, false],
    [
      'alg changed after signing',
      `${b64({ alg: 'HS256', kid: 'es' })}.${p}.${good.split('.')[2]}`,
      false,
    ],
    ['crit', await rawToken({ alg: 'HS256', kid: 'hs', crit: ['x'], x: 1 }, 'HMAC', hmac), false],
    ['kid not a string', `${b64({ alg: 'ES256', kid: 7 })}.${p}.${good.split('.')[2]}`, false],
    [
      'payload altered',
      `${h}.${b64({ aud: 'dns', iss: 'idp', exp: S + 999 })}.${good.split('.')[2]}`,
      false,
    ],
    ['two parts', `${h}.${p}`, false],
    ['not base64url', `${h}.${p}.a+b`, false],
    ['header not JSON', `bm90LWpzb24.${p}.${good.split('.')[2]}`, false],
    ['no exp', await sign('HS256', hs, { kid: 'hs' }, { exp: undefined }), false],
    ['exp a string', await sign('HS256', hs, { kid: 'hs' }, { exp: String(S + 60) }), false],
    ['exp 29 s ago (30 s skew)', await sign('HS256', hs, { kid: 'hs' }, { exp: S - 29 }), true],
    ['exp 30 s ago', await sign('HS256', hs, { kid: 'hs' }, { exp: S - 30 }), false],
    ['nbf 30 s ahead', await sign('HS256', hs, { kid: 'hs' }, { nbf: S + 30 }), true],
    ['nbf 31 s ahead', await sign('HS256', hs, { kid: 'hs' }, { nbf: S + 31 }), false],
    ['iat a string', await sign('HS256', hs, { kid: 'hs' }, { iat: 'now' }), false],
    ['aud in an array', await sign('HS256', hs, { kid: 'hs' }, { aud: ['x', 'dns'] }), true],
    ['aud another', await sign('HS256', hs, { kid: 'hs' }, { aud: 'web' }), false],
    ['no aud', await sign('HS256', hs, { kid: 'hs' }, { aud: undefined }), false],
    ['iss another', await sign('HS256', hs, { kid: 'hs' }, { iss: 'other' }), false],
  ];
  const got: string[] = [];
  for (const [title, token] of table) got.push(`${title}: ${await valid(token)}`);
  assert.deepEqual(
    got,
    table.map(([title, , want]) => `${title}: ${want}`),
  );
  assert.deepEqual(await verify(good, NOW), { aud: 'dns', iss: 'idp', exp: S + 60 });
});

test('one HS256 secret without kid takes tokens without kid', async () => {
  const v = jwtVerifier({ keys: { pems: [], secrets: [{ key: hs }] } });
  assert.ok(await v(await sign('HS256', hs), NOW));
  assert.equal(await v(await sign('HS256', new Uint8Array(32).fill(6)), NOW), undefined);
});

// The JWK Set URL: what it serves, and how many times it was asked.
let served: { keys: unknown[] } | 'hang' | 500 = { keys: [] };
let fetches = 0;
const hanging: ServerResponse[] = [];
const server = createServer((_req, res) => {
  fetches++;
  if (served === 'hang') return void hanging.push(res);
  if (served === 500) return void res.writeHead(500).end();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
after(() => {
  for (const res of hanging) res.destroy();
  server.close();
});

const remote = (o: Partial<JwtVerifierOptions> = {}) =>
  jwtVerifier({ jwksUrl: url, jwksTimeoutMs: 300, jwksCacheMs: 600_000, ...o });

test('the JWK Set URL: a fetch past its deadline, a 500, a body that is no set', async () => {
  const token = await sign('ES256', es.privateKey, { kid: 'a' });
  for (const what of ['hang', 500, { keys: 'no' }] as const) {
    served = what as typeof served;
    const started = Date.now();
    assert.equal(await remote()(token, NOW), undefined, String(what));
    assert.ok(Date.now() - started < 5_000, `${String(what)}: within the deadline`);
  }
});
