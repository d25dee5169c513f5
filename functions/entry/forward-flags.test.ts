// Forwarding and cache settings: file keys and the flags that mirror them (README "Forwarding").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromArgs } from './container-flags.ts';

const files: Record<string, string> = {
  'fwd.yaml':
    'forward:\n  - zone: corp.example.\n    to: [tcp://10.1.2.3:53]\n    policy: sequential\ncache:\n  success: { capacity: 100 }\n  prefetch: { amount: 3 }\n',
  'bad-upstream.yaml': 'forward:\n  - zone: .\n    to: [dns.example:53]\n',
  'twice.yaml': 'forward:\n  - zone: .\n    to: [127.0.0.1]\n  - zone: .\n    to: [127.0.0.2]\n',
  'bad-policy.yaml': 'forward:\n  - zone: .\n    to: [127.0.0.1]\n    policy: fastest\n',
  'no-to.yaml': 'forward:\n  - zone: .\n    to: []\n',
};
const read = (path: string) => files[path] ?? assert.fail(`unexpected read of ${path}`);

test('no forward block by default: REFUSED outside our zones', () => {
  const c = configFromArgs([], read);
  assert.deepEqual(c.forward, []);
  assert.equal(c.cache.success.capacity, 9984);
  assert.equal(c.cache.prefetch, undefined);
});

test('a file: a stub zone, its policy, cache settings; defaults filled in', () => {
  const c = configFromArgs(['--config', 'fwd.yaml'], read);
  assert.deepEqual(c.forward, [
    {
      zone: 'corp.example',
      to: ['tcp://10.1.2.3:53'],
      policy: 'sequential',
      maxConcurrent: 1000,
      maxFails: 2,
      healthCheckMs: 500,
      timeoutMs: 2000,
      deadlineMs: 5000,
    },
  ]);
  assert.deepEqual(c.cache.success, { capacity: 100, maxTtl: 3600, minTtl: 5 });
  assert.deepEqual(c.cache.prefetch, { amount: 3, durationMs: 60_000, percentage: 10 });
});

test('flags add blocks and set every block', () => {
  const c = configFromArgs(
    [
      '--config',
      'fwd.yaml',
      '--forward',
      '.=127.0.0.1:53, [::1]:53',
      '--forward-policy',
      'round_robin',
      '--forward-timeout',
      '500',
      '--forward-deadline',
      '3s',
      '--cache-serve-stale',
      '0',
      '--cache-denial',
      '7',
    ],
    read,
  );
  assert.deepEqual(
    c.forward.map((f) => [f.zone, f.to, f.policy, f.timeoutMs, f.deadlineMs]),
    [
      ['corp.example', ['tcp://10.1.2.3:53'], 'round_robin', 500, 3000],
      ['', ['127.0.0.1:53', '[::1]:53'], 'round_robin', 500, 3000],
    ],
  );
  // Shorter than the cache's stale timer, a deadline would never let a stale answer through.
  assert.throws(
    () => configFromArgs(['--forward', '.=127.0.0.1:53', '--forward-deadline', '1s'], read),
    /--forward-deadline 1s: forward\[0\]\.deadlineMs: expected a duration of 1\.8s\.\.1m, got "1s"/,
  );
  assert.equal(c.cache.serveStaleMs, 0);
  assert.equal(c.cache.denial.capacity, 7);
});

test('tls:// upstreams: the name per upstream or for every block, and the CA file', () => {
  const c = configFromArgs(
    [
      '--forward',
      '.=tls://127.0.0.1:853#dns.example,tls://[::1]',
      '--forward-tls-servername',
      'fallback.example',
      '--forward-tls-ca',
      'ca.pem',
    ],
    read,
  );
  assert.deepEqual(
    c.forward.map((f) => [f.to, f.tlsServerName, f.tls]),
    [[['tls://127.0.0.1:853#dns.example', 'tls://[::1]'], 'fallback.example', { ca: 'ca.pem' }]],
  );
});

const errors: [string[], RegExp][] = [
  [['--forward', '127.0.0.1'], /--forward: expected ZONE=UPSTREAM.*, got "127\.0\.0\.1"/],
  [
    ['--forward', '.=quic://127.0.0.1'],
    /forward\[0\]\.to\[0\]: upstream \"quic:\/\/127\.0\.0\.1\": unknown scheme quic:\/\//,
  ],
  [
    ['--forward', '.=tls://127.0.0.1', '--forward-tls-servername', 'not a name'],
    /forward\[0\]\.tlsServerName: expected a host name/,
  ],
  [
    ['--config', 'bad-upstream.yaml'],
    /bad-upstream\.yaml:3:10: forward\[0\]\.to\[0\]: .*expected an IP address/,
  ],
  [['--config', 'twice.yaml'], /twice\.yaml:4:5: forward\[1\]\.zone: zone \. is forwarded twice/],
  [
    ['--config', 'bad-policy.yaml'],
    /forward\[0\]\.policy: .*expected one of \"random\"\|\"round_robin\"\|\"sequential\"/,
  ],
  [['--config', 'no-to.yaml'], /no-to\.yaml:3:5: forward\[0\]\.to: /],
  [
    ['--forward', '.=127.0.0.1', '--forward-max-fails', 'two'],
    /--forward-max-fails: expected a whole number/,
  ],
  [['--forward', '.=127.0.0.1', '--cache-servfail', '10'], /cache\.servfailMs/],
];
for (const [argv, message] of errors) {
  test(`refused: ${argv.join(' ')}`, () =>
    assert.throws(() => configFromArgs(argv, read), message));
}
