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
