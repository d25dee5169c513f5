import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Registry } from 'prom-client';
import { serveMetrics } from './metrics-server.ts';

test('GET /metrics answers the registry in the text format; other paths 404', async () => {
  const registry = new Registry();
  const counter = new Counter({
    name: 'edge_dns_test_total',
    help: 'a test',
    registers: [registry],
  });
  counter.inc(3);
  const server = await serveMetrics('127.0.0.1', 0, registry);
  try {
    const base = `http://127.0.0.1:${server.address.port}`;
    const ok = await fetch(`${base}/metrics`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await ok.text(), /^edge_dns_test_total 3$/m);
    assert.equal((await fetch(`${base}/other`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await server.close();
  }
});
