// The container's doh.auth (container-doh-auth.ts): off without tokens or keys; a key file that
// cannot be read or holds no usable key stops start-up (and --validate) naming key, flag and file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromArgs } from './container-flags.ts';
import { containerDohAuth } from './container-doh-auth.ts';

const config = (...flags: string[]) =>
  configFromArgs(['--snapshot', 's.json', '--doh', '127.0.0.1:0', ...flags], () => '');

test('no tokens, no keys: no auth', () => {
  assert.equal(containerDohAuth(config()), undefined);
});

test('tokens and keys: auth with a verifier, the scope context and the budget', () => {
  const secret = Buffer.alloc(32, 1).toString('base64url');
  const files: Record<string, string> = {
    'keys.json': JSON.stringify({ keys: [{ kty: 'oct', k: secret, kid: 'a' }] }),
  };
  const auth = containerDohAuth(
    config(
      ...['--doh-tokens', 'static-token-0123456789', '--doh-jwt-keys', 'keys.json'],
      ...['--doh-jwt-audience', 'dns', '--doh-token-budget', '2 4', '--doh-cluster', 'east'],
    ),
    (path) => files[path.replace(/^.*\//, '')] ?? '',
  );
  assert.ok(auth?.jwt && auth.budget);
  assert.deepEqual(auth.tokens, ['static-token-0123456789']);
  assert.equal(auth.scope?.clusterOf('x.cluster.local'), 'east');
  assert.deepEqual(auth.scope?.kubernetesZones, ['cluster.local', 'in-addr.arpa', 'ip6.arpa']);
});

test('a bad key file names the key, the flag and the file', () => {
  const table: [(path: string) => string, RegExp][] = [
    [
      () => '{"kty":"EC","crv":"P-384"}',
      /doh\.auth\.jwtKeys \(--doh-jwt-keys\): .*k\.pem: key 0: crv must be P-256$/,
    ],
    [() => 'not a key', /doh\.auth\.jwtKeys \(--doh-jwt-keys\): .*k\.pem: not valid JSON/],
    [
      (p) => {
        throw new Error(`ENOENT: no such file, open '${p}'`);
      },
      /k\.pem: ENOENT/,
    ],
  ];
  for (const [read, want] of table)
    assert.throws(
      () => containerDohAuth(config('--doh-jwt-keys', 'k.pem', '--doh-jwt-audience', 'dns'), read),
      want,
    );
});
