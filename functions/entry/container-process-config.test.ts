// The `health { lameduck }`, `ready` and `reload` keys and their flags, and durations in every
// duration setting (Go's syntax; bare milliseconds where a setting was milliseconds before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromArgs } from './container-flags.ts';
import { probeAddresses } from './container-listeners.ts';

const files: Record<string, string> = {
  'edge.yaml': [
    'health: { listen: 0.0.0.0:8080, lameduck: 5s }',
    'ready: { listen: 0.0.0.0:8181 }',
    'reload: { interval: 1m }',
    'dns: { tcp: { idleTimeoutMs: 30s } }',
    'forward: [{ zone: ., to: [10.0.0.10], timeoutMs: 1500, healthCheckMs: 250ms }]',
    'cache: { serveStaleMs: 1h, servfailMs: 2s, prefetch: { amount: 3, durationMs: 1m30s } }',
    '',
  ].join('\n'),
  'bare-lameduck.yaml': 'health:\n  lameduck: 5\n',
  'bad-reload.yaml': 'reload:\n  interval: 50ms\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
  return text;
};

test('defaults: no lameduck, /ready beside /health, the file checked every 30 s', () => {
  const c = configFromArgs([], read);
  assert.equal(c.health.lameduck, 0);
  assert.equal(c.ready.listen, undefined);
  assert.equal(c.reload.interval, 30_000);
});

test('durations in the file, in milliseconds once read', () => {
  const c = configFromArgs(['--config', 'edge.yaml'], read);
  assert.deepEqual(
    [c.health.lameduck, c.reload.interval, c.dns.tcp.idleTimeoutMs],
    [5000, 60_000, 30_000],
  );
  const f = c.forward[0]!;
  assert.deepEqual([f.timeoutMs, f.healthCheckMs], [1500, 250]);
  assert.deepEqual(
    [c.cache.serveStaleMs, c.cache.servfailMs, c.cache.prefetch?.durationMs],
    [3_600_000, 2000, 90_000],
  );
});

test('flags: --lameduck, --ready, --reload and the duration flags, over the file', () => {
  const c = configFromArgs(
    [
      ...['--config', 'edge.yaml', '--lameduck', '2s', '--ready', '127.0.0.1:8182'],
      ...['--reload', '0', '--tcp-idle-timeout', '15000', '--forward-timeout', '3s'],
      ...['--forward-health-check', '1s', '--cache-serve-stale', '0', '--cache-servfail', '1m'],
    ],
    read,
  );
  assert.equal(c.health.listen, '0.0.0.0:8080');
  assert.equal(c.health.lameduck, 2000);
  assert.equal(c.ready.listen, '127.0.0.1:8182');
  assert.equal(c.reload.interval, 0);
  assert.equal(c.dns.tcp.idleTimeoutMs, 15_000);
  assert.deepEqual([c.forward[0]!.timeoutMs, c.forward[0]!.healthCheckMs], [3000, 1000]);
  assert.deepEqual([c.cache.serveStaleMs, c.cache.servfailMs], [0, 60_000]);
});

test('bad durations name the flag or the file, line and key, and what was expected', () => {
  const cases: [string[], RegExp][] = [
    [['--lameduck', '5'], /--lameduck 5: health\.lameduck: expected a duration such as 500ms, 5s/],
    [
      ['--lameduck', '2h'],
      /--lameduck 2h: health\.lameduck: expected a duration of 0s\.\.1h, got "2h"/,
    ],
    [['--reload', 'often'], /--reload often: reload\.interval: expected a duration/],
    [
      ['--tcp-idle-timeout', '5x'],
      /--tcp-idle-timeout 5x: dns\.tcp\.idleTimeoutMs: .*\(a bare number is milliseconds\), got "5x"/,
    ],
    [
      ['--tcp-idle-timeout', '20m'],
      /dns\.tcp\.idleTimeoutMs: expected a duration of 100ms\.\.10m, got "20m"/,
    ],
    [
      ['--config', 'bare-lameduck.yaml'],
      /bare-lameduck\.yaml:2:\d+: health\.lameduck: expected a duration .*, got 5/,
    ],
    [
      ['--config', 'bad-reload.yaml'],
      /bad-reload\.yaml:2:\d+: reload\.interval: expected 0 \(off\) or at least 100ms/,
    ],
  ];
  for (const [argv, message] of cases)
    assert.throws(() => configFromArgs(argv, read), { message }, argv.join(' '));
});

test('probe servers: /ready beside /health, or on its own port (CoreDNS :8080 and :8181)', () => {
  const sites = (health?: string, ready?: string) =>
    [...probeAddresses({ health: { listen: health, lameduck: 0 }, ready: { listen: ready } })].map(
      ([key, s]) => `${key}=${s.listen} ${s.paths.join(',')}`,
    );
  const cases: [string | undefined, string | undefined, string[]][] = [
    [undefined, undefined, []],
    [':8080', undefined, [':8080=:8080 /health,/ready']],
    [':8080', ':8181', [':8080=:8080 /health', ':8181=:8181 /ready']],
    [':8080', ':8080', [':8080=:8080 /health,/ready']],
    [undefined, ':8181', [':8181=:8181 /ready']],
    // Port 0 is a new port each time: the same text is two servers.
    [':0', ':0', [':0=:0 /health', ':0 /ready=:0 /ready']],
  ];
  for (const [health, ready, expected] of cases)
    assert.deepEqual(sites(health, ready), expected, `${health} ${ready}`);
});
