import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, edgeConfigFromEnv, edgeDefaults } from './edge-config.ts';

const TOKEN = '0123456789abcdef0123';
const base = { EDGE_DNS_TABLE: 'edge-dns', EDGE_DNS_CLUSTER: 'prod-1', AWS_REGION: 'eu-west-1', EDGE_DNS_TOKENS: TOKEN };

test('defaults, with tokens', () => {
  assert.deepEqual(edgeConfigFromEnv(base), {
    table: 'edge-dns',
    cluster: 'prod-1',
    region: 'eu-west-1',
    auth: { tokens: [TOKEN] },
    kubernetes: { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ttl: 5, nsAddresses: [] },
    cache: { ttlSeconds: edgeDefaults.cacheTtlSeconds, maxEntries: edgeDefaults.cacheEntries, serialCheckSeconds: 1 },
  });
});

test('EDGE_DNS_SERIAL_CHECK: seconds between change-counter reads; 0 turns serial validation off', () => {
  for (const [value, seconds] of [['0', 0], ['1', 1], [' 15 ', 15], [3600, 3600], ['', 1]] as const) {
    assert.equal(edgeConfigFromEnv({ ...base, EDGE_DNS_SERIAL_CHECK: value }).cache.serialCheckSeconds, seconds, JSON.stringify(value));
  }
});

test('every variable set (Workers bindings may be numbers and booleans)', () => {
  const c = edgeConfigFromEnv({
    EDGE_DNS_TABLE: 'records.v2',
    EDGE_DNS_CLUSTER: 'eu',
    AWS_REGION: 'us-east-1',
    EDGE_DNS_REGION: 'eu-central-1',
    EDGE_DNS_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
    EDGE_DNS_TOKENS: ` ${TOKEN}, other-token-of-16+chars== ,,${TOKEN}`,
    EDGE_DNS_ZONES: 'Example.ORG., 0.10.in-addr.arpa',
    EDGE_DNS_TTL: 30,
    EDGE_DNS_NS_ADDRESSES: '10.0.0.53, fd00::53',
    EDGE_DNS_CACHE_TTL: '0',
    EDGE_DNS_CACHE_ENTRIES: 1000,
    EDGE_DNS_SERIAL_CHECK: 5,
    AWS_ACCESS_KEY_ID: 'ignored here',
    SOME_KV: { get() {} },
  });
  assert.equal(c.region, 'eu-central-1', 'EDGE_DNS_REGION wins over AWS_REGION');
  assert.equal(c.endpoint, 'http://127.0.0.1:4567');
  assert.deepEqual(c.auth, { tokens: [TOKEN, 'other-token-of-16+chars=='] });
  assert.deepEqual(c.kubernetes, { zones: ['example.org', '0.10.in-addr.arpa'], ttl: 30, nsAddresses: ['10.0.0.53', 'fd00::53'] });
  assert.deepEqual(c.cache, { ttlSeconds: 0, maxEntries: 1000, serialCheckSeconds: 5 });
});

test('public only when asked, explicitly', () => {
  const { EDGE_DNS_TOKENS: _, ...noTokens } = base;
  assert.equal(edgeConfigFromEnv({ ...noTokens, EDGE_DNS_PUBLIC: 'TRUE' }).auth, 'public');
  assert.equal(edgeConfigFromEnv({ ...noTokens, EDGE_DNS_PUBLIC: true }).auth, 'public');
  assert.deepEqual(edgeConfigFromEnv({ ...base, EDGE_DNS_PUBLIC: 'false' }).auth, { tokens: [TOKEN] });
});

const bad: [string, Record<string, unknown>, RegExp][] = [
  ['closed by default: no tokens, not public', { ...base, EDGE_DNS_TOKENS: undefined }, /^environment: EDGE_DNS_TOKENS: required: .*closed by default.*EDGE_DNS_PUBLIC=true/],
  ['an empty token list is no tokens', { ...base, EDGE_DNS_TOKENS: '  ' }, /EDGE_DNS_TOKENS: required/],
  ['commas only', { ...base, EDGE_DNS_TOKENS: ' , ,' }, /EDGE_DNS_TOKENS: expected at least one value/],
  ['public=false and no tokens', { ...base, EDGE_DNS_TOKENS: '', EDGE_DNS_PUBLIC: 'false' }, /EDGE_DNS_TOKENS: required/],
  ['tokens and public', { ...base, EDGE_DNS_PUBLIC: 'true' }, /EDGE_DNS_PUBLIC: choose one: EDGE_DNS_TOKENS .* or EDGE_DNS_PUBLIC=true/],
  ['public=yes', { ...base, EDGE_DNS_PUBLIC: 'yes' }, /EDGE_DNS_PUBLIC: expected true or false/],
  ['a short token', { ...base, EDGE_DNS_TOKENS: `${TOKEN},short` }, /EDGE_DNS_TOKENS\[1\]: expected a token of at least 16 characters/],
  ['a token with a slash', { ...base, EDGE_DNS_TOKENS: 'abcdefgh/ijklmnopq' }, /EDGE_DNS_TOKENS\[0\]: expected a token of A-Z a-z 0-9/],
  ['no table', { ...base, EDGE_DNS_TABLE: undefined }, /EDGE_DNS_TABLE: required: the DynamoDB table/],
  ['a bad table', { ...base, EDGE_DNS_TABLE: 'a b' }, /EDGE_DNS_TABLE: expected a DynamoDB table name/],
  ['no cluster', { ...base, EDGE_DNS_CLUSTER: '' }, /EDGE_DNS_CLUSTER: required: the cluster id/],
  ['a bad cluster', { ...base, EDGE_DNS_CLUSTER: '.part' }, /EDGE_DNS_CLUSTER: expected a cluster id/],
  ['no region', { ...base, AWS_REGION: undefined }, /EDGE_DNS_REGION: required: the table's AWS region \(Lambda sets AWS_REGION/],
  ['an endpoint that is no URL', { ...base, EDGE_DNS_DYNAMODB_ENDPOINT: '127.0.0.1:8000' }, /EDGE_DNS_DYNAMODB_ENDPOINT: expected an http\(s\) URL/],
  ['a bad zone', { ...base, EDGE_DNS_ZONES: 'cluster.local,a..b' }, /EDGE_DNS_ZONES\[1\]: expected a DNS name/],
  ['a ttl in words', { ...base, EDGE_DNS_TTL: 'five' }, /EDGE_DNS_TTL: expected a whole number of seconds/],
  ['a ttl too big', { ...base, EDGE_DNS_TTL: '86400' }, /EDGE_DNS_TTL: .*3600/],
  ['a bad NS address', { ...base, EDGE_DNS_NS_ADDRESSES: '10.0.0.300' }, /EDGE_DNS_NS_ADDRESSES\[0\]: expected an IPv4 or IPv6 address/],
  ['a negative cache TTL', { ...base, EDGE_DNS_CACHE_TTL: '-1' }, /EDGE_DNS_CACHE_TTL: expected seconds: a whole number 0\.\.86400/],
  ['no cache entries', { ...base, EDGE_DNS_CACHE_ENTRIES: '0' }, /EDGE_DNS_CACHE_ENTRIES: expected a number of entries: at least 1/],
  ['a serial check in milliseconds', { ...base, EDGE_DNS_SERIAL_CHECK: '500ms' }, /EDGE_DNS_SERIAL_CHECK: expected seconds \(0: no serial check, TTL-only\): a whole number 0\.\.3600/],
  ['a serial check over an hour', { ...base, EDGE_DNS_SERIAL_CHECK: '7200' }, /EDGE_DNS_SERIAL_CHECK: expected seconds .*: at most 3600/],
  ['a fractional serial check', { ...base, EDGE_DNS_SERIAL_CHECK: '0.5' }, /EDGE_DNS_SERIAL_CHECK: expected seconds/],
  ['a binding where a string belongs', { ...base, EDGE_DNS_TABLE: { binding: true } }, /EDGE_DNS_TABLE: required/],
];

for (const [what, env, message] of bad) {
  test(`bad environment: ${what}`, () => {
    assert.throws(() => edgeConfigFromEnv(env), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `a ConfigError, got ${String(e)}`);
      assert.match(e.message, message);
      return true;
    });
  });
}

test('several problems are reported together; a token never appears in an error', () => {
  assert.throws(
    () => edgeConfigFromEnv({ EDGE_DNS_TOKENS: 'secret/secret/secret' }),
    (e: unknown) => {
      const m = (e as Error).message;
      for (const v of ['EDGE_DNS_TABLE', 'EDGE_DNS_CLUSTER', 'EDGE_DNS_REGION', 'EDGE_DNS_TOKENS[0]']) assert.ok(m.includes(v), `${v} in:\n${m}`);
      assert.ok(!m.includes('secret/'), m);
      return true;
    },
  );
});
