import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, edgeConfigFromEnv, edgeDefaults } from './edge-config.ts';

const TOKEN = '0123456789abcdef0123';
const base = {
  EDGE_DNS_TABLE: 'edge-dns',
  EDGE_DNS_CLUSTER: 'prod-1',
  AWS_REGION: 'eu-west-1',
  EDGE_DNS_TOKENS: TOKEN,
};

test('defaults, with tokens', () => {
  assert.deepEqual(edgeConfigFromEnv(base), {
    table: 'edge-dns',
    cluster: 'prod-1',
    ownDomain: true,
    region: 'eu-west-1',
    auth: { tokens: [TOKEN] },
    kubernetes: { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ttl: 5, nsAddresses: [] },
    cache: {
      ttlSeconds: edgeDefaults.cacheTtlSeconds,
      maxEntries: edgeDefaults.cacheEntries,
      serialCheckSeconds: 1,
    },
    deadlineMs: 2000,
  });
});

test('EDGE_DNS_DEADLINE: a Go duration, or milliseconds (edge-deadline.ts)', () => {
  for (const [value, ms] of [
    ['2s', 2000],
    ['1500ms', 1500],
    [' 1.5s ', 1500],
    ['800', 800],
    [5000, 5000],
    ['', 2000],
  ] as const) {
    assert.equal(
      edgeConfigFromEnv({ ...base, EDGE_DNS_DEADLINE: value }).deadlineMs,
      ms,
      JSON.stringify(value),
    );
  }
});

test('EDGE_DNS_SERIAL_CHECK: seconds between change-counter reads; 0 turns serial validation off', () => {
  for (const [value, seconds] of [
    ['0', 0],
    ['1', 1],
    [' 15 ', 15],
    [3600, 3600],
    ['', 1],
  ] as const) {
    assert.equal(
      edgeConfigFromEnv({ ...base, EDGE_DNS_SERIAL_CHECK: value }).cache.serialCheckSeconds,
      seconds,
      JSON.stringify(value),
    );
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
  assert.deepEqual(c.kubernetes, {
    zones: ['example.org', '0.10.in-addr.arpa'],
    ttl: 30,
    nsAddresses: ['10.0.0.53', 'fd00::53'],
  });
  assert.deepEqual(c.cache, { ttlSeconds: 0, maxEntries: 1000, serialCheckSeconds: 5 });
});

test('bounds and forms that are accepted', () => {
  const cases: [
    Record<string, unknown>,
    (c: ReturnType<typeof edgeConfigFromEnv>) => unknown,
    unknown,
  ][] = [
    [{ EDGE_DNS_TTL: '0' }, (c) => c.kubernetes.ttl, 0],
    [{ EDGE_DNS_TTL: '3600' }, (c) => c.kubernetes.ttl, 3600],
    [{ EDGE_DNS_CACHE_TTL: '86400' }, (c) => c.cache.ttlSeconds, 86_400],
    [{ EDGE_DNS_CACHE_ENTRIES: '10000000' }, (c) => c.cache.maxEntries, 10_000_000],
    [
      { EDGE_DNS_ZONES: '_tcp.example.org,cluster.local.' },
      (c) => c.kubernetes.zones,
      ['_tcp.example.org', 'cluster.local'],
    ],
    [
      { EDGE_DNS_NS_ADDRESSES: '::ffff:10.0.0.1' },
      (c) => c.kubernetes.nsAddresses,
      ['::ffff:10.0.0.1'],
    ],
    [
      { EDGE_DNS_DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com' },
      (c) => c.endpoint,
      'https://dynamodb.eu-west-1.amazonaws.com',
    ],
    [{ AWS_REGION: undefined, EDGE_DNS_REGION: 'us-gov-west-1' }, (c) => c.region, 'us-gov-west-1'],
  ];
  for (const [env, pick, expected] of cases)
    assert.deepEqual(pick(edgeConfigFromEnv({ ...base, ...env })), expected, JSON.stringify(env));
});

test('one line per problem', () => {
  assert.throws(
    () => edgeConfigFromEnv({ ...base, EDGE_DNS_TOKENS: 'short/', EDGE_DNS_TTL: 'x' }),
    (e: unknown) => {
      assert.deepEqual(
        (e as Error).message.split('\n').map((line) => line.split(': ')[1]),
        ['EDGE_DNS_TOKENS[0]', 'EDGE_DNS_TTL'],
      );
      return true;
    },
  );
});

test('public only when asked, explicitly', () => {
  const { EDGE_DNS_TOKENS: _, ...noTokens } = base;
  assert.equal(edgeConfigFromEnv({ ...noTokens, EDGE_DNS_PUBLIC: 'TRUE' }).auth, 'public');
  assert.equal(edgeConfigFromEnv({ ...noTokens, EDGE_DNS_PUBLIC: true }).auth, 'public');
  assert.deepEqual(edgeConfigFromEnv({ ...base, EDGE_DNS_PUBLIC: 'false' }).auth, {
    tokens: [TOKEN],
  });
});

const bad: [string, Record<string, unknown>, RegExp][] = [
  [
    'closed by default: no tokens, not public',
    { ...base, EDGE_DNS_TOKENS: undefined },
    /^environment: EDGE_DNS_TOKENS: required: .*closed by default.*EDGE_DNS_PUBLIC=true/,
  ],
  [
    'an empty token list is no tokens',
    { ...base, EDGE_DNS_TOKENS: '  ' },
    /EDGE_DNS_TOKENS: required/,
  ],
  [
    'commas only',
    { ...base, EDGE_DNS_TOKENS: ' , ,' },
    /EDGE_DNS_TOKENS: expected at least one value/,
  ],
  [
    'public=false and no tokens',
    { ...base, EDGE_DNS_TOKENS: '', EDGE_DNS_PUBLIC: 'false' },
    /EDGE_DNS_TOKENS: required/,
  ],
  [
    'tokens and public',
    { ...base, EDGE_DNS_PUBLIC: 'true' },
    /EDGE_DNS_PUBLIC: choose one: EDGE_DNS_TOKENS .* or EDGE_DNS_PUBLIC=true/,
  ],
  ['public=yes', { ...base, EDGE_DNS_PUBLIC: 'yes' }, /EDGE_DNS_PUBLIC: expected true or false/],
  [
    'a short token',
    { ...base, EDGE_DNS_TOKENS: `${TOKEN},short` },
    /EDGE_DNS_TOKENS\[1\]: expected a token of at least 16 characters/,
  ],
  [
    'a token with a slash',
    { ...base, EDGE_DNS_TOKENS: 'abcdefgh/ijklmnopq' },
    /EDGE_DNS_TOKENS\[0\]: expected a token of A-Z a-z 0-9/,
  ],
  [
    'no table',
    { ...base, EDGE_DNS_TABLE: undefined },
    /EDGE_DNS_TABLE: required: the DynamoDB table/,
  ],
  [
    'a bad table',
    { ...base, EDGE_DNS_TABLE: 'a b' },
    /EDGE_DNS_TABLE: expected a DynamoDB table name/,
  ],
  ['no cluster', { ...base, EDGE_DNS_CLUSTER: '' }, /EDGE_DNS_CLUSTER: required: the cluster id/],
  [
    'a bad cluster',
    { ...base, EDGE_DNS_CLUSTER: '.part' },
    /EDGE_DNS_CLUSTER: expected a cluster id/,
  ],
  [
    'no region',
    { ...base, AWS_REGION: undefined },
    /EDGE_DNS_REGION: required: the table's AWS region \(Lambda sets AWS_REGION/,
  ],
  [
    'an endpoint that is no URL',
    { ...base, EDGE_DNS_DYNAMODB_ENDPOINT: '127.0.0.1:8000' },
    /EDGE_DNS_DYNAMODB_ENDPOINT: expected an http\(s\) URL/,
  ],
  [
    'a bad zone',
    { ...base, EDGE_DNS_ZONES: 'cluster.local,a..b' },
    /EDGE_DNS_ZONES\[1\]: expected a DNS name/,
  ],
  [
    'a ttl in words',
    { ...base, EDGE_DNS_TTL: 'five' },
    /EDGE_DNS_TTL: expected a whole number of seconds/,
  ],
  ['a ttl too big', { ...base, EDGE_DNS_TTL: '86400' }, /EDGE_DNS_TTL: .*3600/],
  [
    'a bad NS address',
    { ...base, EDGE_DNS_NS_ADDRESSES: '10.0.0.300' },
    /EDGE_DNS_NS_ADDRESSES\[0\]: expected an IPv4 or IPv6 address/,
  ],
  [
    'a negative cache TTL',
    { ...base, EDGE_DNS_CACHE_TTL: '-1' },
    /EDGE_DNS_CACHE_TTL: expected seconds: a whole number 0\.\.86400/,
  ],
  [
    'no cache entries',
    { ...base, EDGE_DNS_CACHE_ENTRIES: '0' },
    /EDGE_DNS_CACHE_ENTRIES: expected a number of entries: at least 1/,
  ],
  [
    'a serial check in milliseconds',
    { ...base, EDGE_DNS_SERIAL_CHECK: '500ms' },
    /EDGE_DNS_SERIAL_CHECK: expected seconds \(0: no serial check, TTL-only\): a whole number 0\.\.3600/,
  ],
  [
    'a serial check over an hour',
    { ...base, EDGE_DNS_SERIAL_CHECK: '7200' },
    /EDGE_DNS_SERIAL_CHECK: expected seconds .*: at most 3600/,
  ],
  [
    'a fractional serial check',
    { ...base, EDGE_DNS_SERIAL_CHECK: '0.5' },
    /EDGE_DNS_SERIAL_CHECK: expected seconds/,
  ],
  [
    'a deadline that is no duration',
    { ...base, EDGE_DNS_DEADLINE: 'soon' },
    /EDGE_DNS_DEADLINE: expected a duration 200ms\.\.30s such as 2s or 1500ms/,
  ],
  [
    'a deadline too short for a read',
    { ...base, EDGE_DNS_DEADLINE: '50ms' },
    /EDGE_DNS_DEADLINE: expected a duration 200ms\.\.30s$/m,
  ],
  [
    'a deadline past any function timeout',
    { ...base, EDGE_DNS_DEADLINE: '1m' },
    /EDGE_DNS_DEADLINE: expected a duration 200ms\.\.30s$/m,
  ],
  [
    'a binding where a string belongs',
    { ...base, EDGE_DNS_TABLE: { binding: true } },
    /EDGE_DNS_TABLE: required/,
  ],
  [
    'a binding where an optional string belongs',
    { ...base, EDGE_DNS_ZONES: ['cluster.local'] },
    /EDGE_DNS_ZONES: expected text/,
  ],
  [
    'zones: commas only',
    { ...base, EDGE_DNS_ZONES: ' , ' },
    /EDGE_DNS_ZONES: expected at least one value/,
  ],
  [
    'a zone with an empty label',
    { ...base, EDGE_DNS_ZONES: '.cluster.local' },
    /EDGE_DNS_ZONES\[0\]: expected a DNS name/,
  ],
  [
    'an endpoint of another scheme',
    { ...base, EDGE_DNS_DYNAMODB_ENDPOINT: 'ftp://127.0.0.1:8000' },
    /EDGE_DNS_DYNAMODB_ENDPOINT: expected an http\(s\) URL/,
  ],
  [
    'a region in capitals',
    { ...base, EDGE_DNS_REGION: 'EU-WEST-1' },
    /EDGE_DNS_REGION: expected an AWS region/,
  ],
  [
    'an NS address with a zone index',
    { ...base, EDGE_DNS_NS_ADDRESSES: '10.0.0.53,fe80::1%eth0' },
    /EDGE_DNS_NS_ADDRESSES\[1\]: expected an IPv4 or IPv6 address/,
  ],
  [
    'a negative ttl',
    { ...base, EDGE_DNS_TTL: '-5' },
    /EDGE_DNS_TTL: expected a whole number of seconds/,
  ],
  [
    'too many cache entries',
    { ...base, EDGE_DNS_CACHE_ENTRIES: '10000001' },
    /EDGE_DNS_CACHE_ENTRIES: expected a number of entries: at most 10000000/,
  ],
];

for (const [what, env, message] of bad) {
  test(`bad environment: ${what}`, () => {
    assert.throws(
      () => edgeConfigFromEnv(env),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, `a ConfigError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
      },
    );
  });
}

test('several problems are reported together; a token never appears in an error', () => {
  assert.throws(
    () => edgeConfigFromEnv({ EDGE_DNS_TOKENS: 'secret/secret/secret' }),
    (e: unknown) => {
      const m = (e as Error).message;
      for (const v of [
        'EDGE_DNS_TABLE',
        'EDGE_DNS_CLUSTER',
        'EDGE_DNS_REGION',
        'EDGE_DNS_TOKENS[0]',
      ])
        assert.ok(m.includes(v), `${v} in:\n${m}`);
      assert.ok(!m.includes('secret/'), m);
      return true;
    },
  );
});

test('EDGE_DNS_FORWARD: DoH upstreams for names outside the zones (absent: REFUSED there)', () => {
  assert.equal(edgeConfigFromEnv(base).forward, undefined);
  assert.deepEqual(
    edgeConfigFromEnv({
      ...base,
      EDGE_DNS_FORWARD: 'https://dns.example/dns-query, http://127.0.0.1:8053/dns-query',
    }).forward,
    {
      upstreams: ['https://dns.example/dns-query', 'http://127.0.0.1:8053/dns-query'],
      policy: 'random',
    },
  );
  assert.equal(
    edgeConfigFromEnv({
      ...base,
      EDGE_DNS_FORWARD: 'https://dns.example/dns-query',
      EDGE_DNS_FORWARD_POLICY: 'sequential',
    }).forward?.policy,
    'sequential',
  );
  const bad: [Record<string, string>, RegExp][] = [
    [
      { EDGE_DNS_FORWARD: 'http://dns.example/dns-query' },
      /EDGE_DNS_FORWARD\[0\]: expected an https:\/\/ DoH URL/,
    ],
    [
      { EDGE_DNS_FORWARD: 'https://dns.example/dns-query,8.8.8.8' },
      /EDGE_DNS_FORWARD\[1\]: expected an https:\/\/ DoH URL/,
    ],
    [
      { EDGE_DNS_FORWARD: 'https://dns.example/dns-query', EDGE_DNS_FORWARD_POLICY: 'fastest' },
      /EDGE_DNS_FORWARD_POLICY: expected random, round_robin or sequential/,
    ],
    [{ EDGE_DNS_FORWARD_POLICY: 'random' }, /EDGE_DNS_FORWARD_POLICY: set EDGE_DNS_FORWARD/],
  ];
  for (const [env, message] of bad)
    assert.throws(() => edgeConfigFromEnv({ ...base, ...env }), message);
});

test('EDGE_DNS_METRICS and EDGE_DNS_METRICS_SAMPLE: the metric lines (unset: the runtime default)', () => {
  assert.equal(edgeConfigFromEnv(base).metrics, undefined);
  const cases: [Record<string, unknown>, unknown][] = [
    [{ EDGE_DNS_METRICS: 'emf' }, { format: 'emf' }],
    [{ EDGE_DNS_METRICS: 'off' }, { format: 'off' }],
    [
      { EDGE_DNS_METRICS: 'json', EDGE_DNS_METRICS_SAMPLE: '0.25' },
      { format: 'json', sampleRate: 0.25 },
    ],
    [{ EDGE_DNS_METRICS_SAMPLE: 1 }, { sampleRate: 1 }],
    [{ EDGE_DNS_METRICS_SAMPLE: '0' }, { sampleRate: 0 }],
    [{ EDGE_DNS_METRICS_SAMPLE: '.5' }, { sampleRate: 0.5 }],
    [{ EDGE_DNS_METRICS_SAMPLE: '1.0' }, { sampleRate: 1 }],
  ];
  for (const [env, metrics] of cases)
    assert.deepEqual(edgeConfigFromEnv({ ...base, ...env }).metrics, metrics, JSON.stringify(env));
  const bad: [Record<string, string>, RegExp][] = [
    [{ EDGE_DNS_METRICS: 'prometheus' }, /EDGE_DNS_METRICS: expected off, emf .* or json/],
    [{ EDGE_DNS_METRICS_SAMPLE: '1.5' }, /EDGE_DNS_METRICS_SAMPLE: expected the share .* 0\.\.1/],
    [{ EDGE_DNS_METRICS_SAMPLE: '10%' }, /EDGE_DNS_METRICS_SAMPLE: expected/],
    [{ EDGE_DNS_METRICS_SAMPLE: '-0.1' }, /EDGE_DNS_METRICS_SAMPLE: expected/],
  ];
  for (const [env, message] of bad)
    assert.throws(() => edgeConfigFromEnv({ ...base, ...env }), message);
});
