import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveProbes } from './probe-server.ts';

test('probes: /health always, /ready once ready, clear errors otherwise', async () => {
  let reason: string | undefined = 'first list not done';
  const probes = await serveProbes('127.0.0.1', 0, { notReady: () => reason });
  const url = (p: string) => `http://127.0.0.1:${probes.address.port}${p}`;
  try {
    const cases: [string, string, number, RegExp][] = [
      ['GET', '/health', 200, /^OK/],
      ['GET', '/ready', 503, /^not ready: first list not done/],
      ['POST', '/ready', 405, /method not allowed/],
      ['GET', '/metrics', 404, /not found/],
    ];
    for (const [method, path, status, body] of cases) {
      const res = await fetch(url(path), { method });
      assert.equal(res.status, status, `${method} ${path}`);
      assert.match(await res.text(), body);
    }
    reason = undefined;
    assert.equal((await fetch(url('/ready'))).status, 200);
  } finally {
    await probes.close();
  }
});

test('probes on separate ports: /health alone, /ready alone (CoreDNS :8080 and :8181)', async () => {
  const readiness = { notReady: () => 'lameduck' };
  const health = await serveProbes('127.0.0.1', 0, readiness, ['/health']);
  const ready = await serveProbes('127.0.0.1', 0, readiness, ['/ready']);
  try {
    const cases: [number, string, number, RegExp][] = [
      [health.address.port, '/health', 200, /^OK/],
      [health.address.port, '/ready', 404, /^not found: try \/health\n$/],
      [ready.address.port, '/ready', 503, /^not ready: lameduck/],
      [ready.address.port, '/health', 404, /^not found: try \/ready\n$/],
    ];
    for (const [port, path, status, body] of cases) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(res.status, status, `:${port} ${path}`);
      assert.match(await res.text(), body, `:${port} ${path}`);
    }
  } finally {
    await Promise.all([health.close(), ready.close()]);
  }
});
