// The reload swap (docs/architecture.md §8.12) in process: what a next generation reuses and what
// it builds anew, listeners moved only when their address changed, and a reload that fails
// leaving the running configuration whole. Real loopback sockets, the sample cluster's snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { makeQuery, queryUdp } from '../../test/support/dns-client.ts';
import { getProbe } from '../../test/support/probe-client.ts';
import { validateConfig, type ContainerConfig } from './container-config.ts';
import { buildGeneration } from './container-generation.ts';
import { ContainerServer } from './container-server.ts';

const SAMPLE = fileURLToPath(new URL('../../test/fixtures/sample-cluster.json', import.meta.url));
const config = (o: Record<string, unknown> = {}): ContainerConfig =>
  validateConfig({ snapshots: [SAMPLE], dns: { listen: '127.0.0.1:0' }, ...o }, 'test');
const quiet = { warn: () => {} };
const NAME = 'kubernetes.default.svc.cluster.local';

test('a next generation reuses what its options leave alone, and always gets a new answer cache', async () => {
  const first = await buildGeneration(
    config({ forward: [{ zone: '.', to: ['127.0.0.1:9'] }] }),
    quiet,
  );
  const g1 = first.generation;
  const cases: {
    why: string;
    next: ContainerConfig;
    records: 'kept' | 'new';
    forward: 'kept' | 'new' | 'none';
    changes: string[];
    signalled?: boolean;
  }[] = [
    {
      why: 'the same configuration',
      next: g1.config,
      records: 'kept',
      forward: 'kept',
      changes: [],
    },
    {
      why: 'the same configuration on a signal: snapshots read again',
      next: g1.config,
      records: 'new',
      forward: 'kept',
      changes: ['records rebuilt'],
      signalled: true,
    },
    {
      why: 'a TTL change',
      next: config({ kubernetes: { ttl: 30 }, forward: [{ zone: '.', to: ['127.0.0.1:9'] }] }),
      records: 'new',
      forward: 'kept',
      changes: ['records rebuilt'],
    },
    {
      why: 'a cache change',
      next: config({ forward: [{ zone: '.', to: ['127.0.0.1:9'] }], cache: { servfailMs: '10s' } }),
      records: 'kept',
      forward: 'new',
      changes: ['forwarder rebuilt'],
    },
    {
      why: 'forwarding removed',
      next: config(),
      records: 'kept',
      forward: 'none',
      changes: ['forwarding off'],
    },
  ];
  for (const c of cases) {
    const next = await buildGeneration(c.next, quiet, g1, { rereadSnapshots: c.signalled });
    const g2 = next.generation;
    assert.notEqual(g2.ctx.answerCache, g1.ctx.answerCache, `${c.why}: a new answer cache`);
    assert.equal(g2.records === g1.records, c.records === 'kept', `${c.why}: records`);
    if (c.forward === 'none') assert.equal(g2.forward, undefined, c.why);
    else assert.equal(g2.forward === g1.forward, c.forward === 'kept', `${c.why}: forwarder`);
    assert.deepEqual(next.changes, c.changes, c.why);
    assert.equal(g2.ctx.store, g2.records.store);
    await next.discard();
  }
  g1.forward?.close();
});

test('a bad snapshot fails the build with nothing left open', async () => {
  const g1 = (await buildGeneration(config(), quiet)).generation;
  await assert.rejects(
    buildGeneration(config({ snapshots: ['/nonexistent/cluster.json'] }), quiet, g1),
    /cluster\.json/,
  );
});

test('reload: listeners move only when their address changes; a failed reload changes nothing', async () => {
  const server = await ContainerServer.start(config({ kubernetes: { ttl: 5 } }), { log: quiet });
  const dns = () => server.listeners.dns.udp.address;
  const ttl = async () =>
    ((await queryUdp(dns(), makeQuery(NAME, 'A'))).answers?.[0] as { ttl: number }).ttl;
  try {
    const udp = server.listeners.dns.udp;
    assert.equal(await ttl(), 5);

    // TTL and probes: the same DNS sockets, new records; a probe server bound.
    const summary = await server.reload(
      config({ kubernetes: { ttl: 30 }, health: { listen: '127.0.0.1:0' } }),
      false,
    );
    assert.match(
      summary,
      /^records rebuilt, probes on 127\.0\.0\.1:0 \/health \/ready, \d+ names$/,
    );
    assert.equal(server.listeners.dns.udp, udp, 'UDP not rebound');
    assert.equal(await ttl(), 30, 'the first query after the swap');
    const [probes] = [...server.listeners.probes.values()];
    const url = `http://127.0.0.1:${probes!.address.port}`;
    assert.equal((await getProbe(`${url}/ready`)).status, 200);

    // /ready to its own port: the health server keeps its port and drops /ready.
    await server.reload(
      config({
        kubernetes: { ttl: 30 },
        health: { listen: '127.0.0.1:0' },
        ready: { listen: '127.0.0.1:0' },
      }),
      false,
    );
    assert.equal(server.listeners.probes.size, 2);
    assert.equal((await getProbe(`${url}/health`)).status, 200);
    assert.equal((await getProbe(`${url}/ready`)).status, 404);

    // A bad reload: DoH cannot switch from HTTP to HTTPS on the same address.
    await server.reload(
      config({
        kubernetes: { ttl: 30 },
        doh: { listen: '127.0.0.1:0' },
      }),
      false,
    );
    const doh = server.listeners.doh!;
    const before = server.generation;
    await assert.rejects(
      server.reload(
        config({
          kubernetes: { ttl: 60 },
          doh: {
            listen: '127.0.0.1:0',
            cert: fileURLToPath(new URL('../../test/fixtures/tls/localhost.crt', import.meta.url)),
            key: fileURLToPath(new URL('../../test/fixtures/tls/localhost.key', import.meta.url)),
          },
        }),
        false,
      ),
      /doh: switching 127\.0\.0\.1:0 between HTTP and HTTPS needs a restart/,
    );
    assert.equal(server.generation, before, 'the running generation stays');
    assert.equal(server.listeners.doh, doh);
    assert.equal(await ttl(), 30);

    // A new DNS address ([::1] beside 127.0.0.1): bound first, the old one drained and closed.
    const moved = await server.reload(
      config({
        kubernetes: { ttl: 30 },
        dns: { listen: '[::1]:0' },
        doh: { listen: '127.0.0.1:0' },
      }),
      false,
    );
    assert.match(moved, /^dns on udp:\/\/\[::1\]:\d+, \d+ names$/);
    assert.notEqual(server.listeners.dns.udp, udp);
    assert.equal(dns().host, '::1');
    assert.equal(await ttl(), 30);
  } finally {
    await server.drain(1000);
    await server.close();
  }
});
