// The edge's deadline (docs/architecture.md §5.7) through the BUILT Lambda bundle and the Worker
// in workerd, reading DynamoDB (dynalite, filled by the real sync) through a proxy that stalls,
// answers 500 or throttles every call: a name the instance holds answers stale, one it never read
// answers SERVFAIL (HTTP 200, application/dns-message, rcode 2), each within the deadline plus a
// margin, never a 5xx or a hang; a stalled call is abandoned (its connection closed) by then. A
// DoH upstream (EDGE_DNS_FORWARD) that never answers is SERVFAIL within the deadline too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { Miniflare } from 'miniflare';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import type { Dynalite } from './support/dynalite.ts';
import {
  startDynamoDbThrottleProxy,
  type DynamoDbThrottleProxy,
  type StoreBehaviour,
} from './support/dynamodb-throttle-proxy.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  publishedTable,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher } from './support/lambda-events.ts';
import { pollUntil } from './support/poll.ts';

const CLUSTER = 'deadline';
/** EDGE_DNS_DEADLINE's default (functions/entry/edge-deadline.ts): nothing sets it here. */
const DEADLINE_MS = 2000;
/** Scheduling on a shared machine; a read left to its old timeouts (3 s and more) exceeds it. */
const MARGIN_MS = 600;
const GUARD = { timeout: 120_000 };

type EdgeFetch = (request: Request) => Promise<Response>;

/** A name the instance reads while the store is healthy, then asks again; and one it never read. */
const CACHED = 'kubernetes.default.svc.cluster.local';
const UNREAD = 'cart.shop.svc.cluster.local';

/** Store behaviour x runtime: a fresh instance (its own cache) for each row. */
const CASES: { store: Exclude<StoreBehaviour, 'pass'>; runtime: 'lambda' | 'workers' }[] = [
  { store: 'stall', runtime: 'lambda' },
  { store: 'stall', runtime: 'workers' },
  { store: '500', runtime: 'lambda' },
  { store: '500', runtime: 'workers' },
  { store: 'throttle', runtime: 'lambda' },
  { store: 'throttle', runtime: 'workers' },
];

let db: Dynalite;
let proxy: DynamoDbThrottleProxy;
/** A DoH upstream that reads each request and never answers (EDGE_DNS_FORWARD). */
let stalledUpstream: { url: string; open: Set<ServerResponse>; close(): Promise<void> };
let mf: Miniflare;
let lambda: (
  env: Record<string, string | undefined>,
) => Promise<Parameters<typeof lambdaFetcher>[0]>;

/** The edge's settings: public, every lookup a read (TTL 0) so that the proxy sees each one. */
const settings = (): Record<string, string> => ({
  EDGE_DNS_TABLE: db.table,
  EDGE_DNS_CLUSTER: CLUSTER,
  EDGE_DNS_DYNAMODB_ENDPOINT: proxy.endpoint,
  EDGE_DNS_PUBLIC: 'true',
  EDGE_DNS_CACHE_TTL: '0',
  EDGE_DNS_METRICS: 'off',
});

async function startStalledUpstream(): Promise<typeof stalledUpstream> {
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`,
    open,
    close: () =>
      new Promise<void>((r) => {
        for (const res of open) res.destroy();
        server.close(() => r());
      }),
  };
}

before(async () => {
  db = await publishedTable(CLUSTER, [SAMPLE_CLUSTER]);
  proxy = await startDynamoDbThrottleProxy(db.endpoint);
  stalledUpstream = await startStalledUpstream();
  setLambdaCredentials();
  lambda = lambdaInstances(buildLambdaBundle());
  const dist = mkdtempSync(join(tmpdir(), 'edge-dns-workers-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, 'workers'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  // One Worker (one isolate, one cache) per row, as infra/cloudflare/wrangler.toml runs it.
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [...CASES.filter((c) => c.runtime === 'workers').map((c) => c.store), 'forward'].map(
      (name) => ({
        name,
        modules: true,
        scriptPath: join(dist, 'workers/workers.mjs'),
        modulesRoot: join(dist, 'workers'),
        compatibilityDate: '2026-04-01',
        compatibilityFlags: ['nodejs_compat'],
        bindings: {
          ...settings(),
          ...(name === 'forward' && { EDGE_DNS_FORWARD: stalledUpstream.url }),
          EDGE_DNS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
      }),
    ),
  });
  await mf.ready;
}, GUARD);

after(async () => {
  await mf?.dispose();
  await stalledUpstream?.close();
  await proxy?.close();
  await db?.close();
}, GUARD);

/** A fresh Lambda instance, or the Worker `name` (its isolate's cache as earlier cases left it). */
async function edgeFor(
  runtime: 'lambda' | 'workers',
  name: string,
  extra: Record<string, string> = {},
): Promise<EdgeFetch> {
  if (runtime === 'lambda')
    return lambdaFetcher(
      await lambda({ ...settings(), ...extra, AWS_REGION: 'us-east-1' }),
      'function-url',
    );
  // Typed against @cloudflare/workers-types, which this project does not install.
  const worker = (await mf.getWorker(name)) as unknown as {
    fetch(url: string, init: { headers: [string, string][] }): Promise<Response>;
  };
  return async (request) => {
    const res = await worker.fetch(request.url, { headers: [...request.headers] });
    return new Response(await res.arrayBuffer(), { status: res.status, headers: [...res.headers] });
  };
}

interface Answer {
  status: number;
  type: string | null;
  rcode: string;
  answers: string[];
  ms: number;
}

async function ask(edge: EdgeFetch, name: string): Promise<Answer> {
  const dns = Buffer.from(dnsPacket.encode(makeQuery(name, 'A'))).toString('base64url');
  const started = performance.now();
  const res = await edge(
    new Request(`https://edge.test/dns-query?dns=${dns}`, {
      headers: { accept: 'application/dns-message' },
    }),
  );
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  const type = res.headers.get('content-type');
  if (res.status !== 200) return { status: res.status, type, rcode: '', answers: [], ms };
  const reply = dnsPacket.decode(body);
  const answers = (reply.answers ?? []).map((a) =>
    a.type === 'A' ? `${a.name} A ${a.data}` : `${a.name} ${a.type}`,
  );
  return { status: res.status, type, rcode: rcodeOf(reply), answers, ms };
}

for (const c of CASES) {
  test(
    `store ${c.store}, ${c.runtime}: the cached name answers stale, an unread one SERVFAIL, within the deadline`,
    GUARD,
    async () => {
      const edge = await edgeFor(c.runtime, c.store);
      proxy.behave('pass');
      const fresh = await ask(edge, CACHED);
      assert.equal(fresh.rcode, 'NOERROR', 'read while the store is healthy');
      assert.ok(fresh.answers.length > 0);
      proxy.behave(c.store);
      try {
        const stale = await ask(edge, CACHED);
        assert.deepEqual(
          { ...stale, ms: 0 },
          { ...fresh, ms: 0, type: 'application/dns-message' },
          'the entry read before answers (RFC 8767)',
        );
        assert.ok(stale.ms < DEADLINE_MS + MARGIN_MS, `stale answer after ${stale.ms} ms`);
        const failed = await ask(edge, UNREAD);
        assert.deepEqual(
          { ...failed, ms: 0 },
          { status: 200, type: 'application/dns-message', rcode: 'SERVFAIL', answers: [], ms: 0 },
          'never NXDOMAIN from a store that cannot be read, never a 5xx',
        );
        assert.ok(failed.ms < DEADLINE_MS + MARGIN_MS, `SERVFAIL after ${failed.ms} ms`);
        if (c.store === 'stall')
          await pollUntil(
            async () => proxy.stalledOpen(),
            (open) => open === 0,
            { deadlineMs: DEADLINE_MS, what: 'the stalled reads abandoned' },
          );
      } finally {
        proxy.behave('pass');
      }
    },
  );
}

for (const runtime of ['lambda', 'workers'] as const) {
  test(
    `a stalled DoH upstream, ${runtime}: SERVFAIL within the deadline, the exchange abandoned`,
    GUARD,
    async () => {
      const edge = await edgeFor(runtime, 'forward', { EDGE_DNS_FORWARD: stalledUpstream.url });
      const reply = await ask(edge, 'example.com');
      assert.deepEqual(
        { ...reply, ms: 0 },
        { status: 200, type: 'application/dns-message', rcode: 'SERVFAIL', answers: [], ms: 0 },
      );
      assert.ok(reply.ms < DEADLINE_MS + MARGIN_MS, `SERVFAIL after ${reply.ms} ms`);
      await pollUntil(
        async () => stalledUpstream.open.size,
        (open) => open === 0,
        { deadlineMs: DEADLINE_MS, what: 'the stalled exchanges abandoned' },
      );
    },
  );
}
