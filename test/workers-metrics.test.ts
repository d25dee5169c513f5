// The Worker's metric lines (functions/entry/README.md "Metric lines"): the BUILT Workers bundle in
// workerd through miniflare, with wrangler.toml's compatibility date and flags, reading dynalite
// filled by the real sync; workerd's log output captured. One JSON line per sampled DNS request,
// with its type, rcode and its share of the isolate cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { Miniflare } from 'miniflare';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { staticSource } from '../sync/reconcile/object-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';

const CLUSTER = 'ci';
const TOKEN = 'workers-metrics-token-0123456789abcdef';
/** A guard against a hung runtime; not an assertion on speed. */
const GUARD = { timeout: 60_000 };
const ORIGIN = 'https://doh.example';

const wrangler = readFileSync(join(REPO_ROOT, 'infra/cloudflare/wrangler.toml'), 'utf8');
const compatibilityDate = JSON.parse(/^compatibility_date = (.+)$/m.exec(wrangler)![1]!) as string;
const compatibilityFlags = JSON.parse(
  /^compatibility_flags = (.+)$/m.exec(wrangler)![1]!,
) as string[];

const dist = mkdtempSync(join(tmpdir(), 'edge-dns-workers-metrics-'));
let db: Dynalite;
let mf: Miniflare;
/** What each Miniflare's workers logged, in order: workerd's structured logs carry no worker
 *  name, but the workers of one Miniflare share one workerd process and one ordered log stream. */
const logs = new Map<Miniflare, string[]>();

/** A Miniflare running the bundle as the workers named, each with its own extra bindings. */
async function startWorkers(workers: Record<string, Record<string, string>>): Promise<Miniflare> {
  const lines: string[] = [];
  const m = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: Object.entries(workers).map(([name, bindings]) => ({
      name,
      modules: true,
      scriptPath: join(dist, 'workers/workers.mjs'),
      modulesRoot: join(dist, 'workers'),
      compatibilityDate,
      compatibilityFlags,
      bindings: {
        EDGE_DNS_TABLE: db.table,
        EDGE_DNS_CLUSTER: CLUSTER,
        EDGE_DNS_REGION: 'us-east-1',
        EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
        EDGE_DNS_TOKENS: TOKEN,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        ...bindings,
      },
    })),
    handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
      if (level === 'log' || level === 'info') lines.push(message);
    },
  });
  await m.ready;
  logs.set(m, lines);
  return m;
}

before(async () => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, 'workers'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  db = await startDynalite();
  const report = await new Reconciler({
    source: staticSource(readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)])),
    build: defaultBuildOptions,
    writer: new DynamoDbWriter({ client: db.client, table: db.table, cluster: CLUSTER }),
    hash: contentHash,
    resyncMs: 0,
  }).start();
  assert.equal(report.failed, 0, 'the sync published every name');
  mf = await startWorkers({ default: {} });
}, GUARD);

after(async () => {
  await Promise.all([...logs.keys()].map((m) => m.dispose()));
  await db?.close();
}, GUARD);

async function ask(m: Miniflare, worker: string, name: string, type: string): Promise<number> {
  const dns = Buffer.from(dnsPacket.encode(makeQuery(name, type as 'A', { id: 0 }))).toString(
    'base64url',
  );
  // Typed against @cloudflare/workers-types, which this project does not install.
  const w = (await m.getWorker(worker)) as unknown as {
    fetch(url: string, init: object): Promise<{ status: number; arrayBuffer(): Promise<unknown> }>;
  };
  const res = await w.fetch(`${ORIGIN}/dns-query?dns=${dns}`, {
    headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/dns-message' },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves with `m`'s lines once there are `n` (workerd's output arrives after the response). */
async function linesOf(m: Miniflare, n: number): Promise<Record<string, unknown>[]> {
  const lines = logs.get(m)!;
  const deadline = Date.now() + 10_000;
  while (lines.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(lines.length, n, lines.join('\n'));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

test(
  'one JSON line per DNS request by default, with type, rcode and cache figures',
  GUARD,
  async () => {
    const requests: [string, string, string, string, [number, number, number]][] = [
      ['cart.shop.svc.cluster.local.', 'A', 'A', 'NOERROR', [0, 1, 1]],
      ['cart.shop.svc.cluster.local.', 'A', 'A', 'NOERROR', [1, 0, 0]],
      // The SRV name, then its target's addresses for the additional section.
      ['_http._tcp.web.shop.svc.cluster.local.', 'SRV', 'SRV', 'NOERROR', [0, 2, 2]],
      ['nothing.shop.svc.cluster.local.', 'TXT', 'TXT', 'NXDOMAIN', [0, 1, 1]],
      ['www.example.com.', 'A', 'A', 'REFUSED', [0, 0, 0]],
    ];
    for (const [name, type] of requests) assert.equal(await ask(mf, 'default', name, type), 200);
    const lines = await linesOf(mf, requests.length);
    for (const [i, [name, type, typeLabel, rcode, cache]] of requests.entries()) {
      const line = lines[i]!;
      assert.equal(line._aws, undefined, 'json, not EMF');
      assert.deepEqual(
        [line.cluster, line.proto, line.type, line.rcode, line.coredns_dns_requests_total],
        [CLUSTER, 'https', typeLabel, rcode, 1],
        `${name} ${type}`,
      );
      assert.deepEqual(
        [
          line.coredns_cache_hits_total,
          line.coredns_cache_misses_total,
          line.edge_dns_dynamodb_reads_total,
        ],
        cache,
        `${name} ${type}: cache hits, misses, reads`,
      );
      assert.equal(typeof line.timestamp, 'number');
      assert.equal(typeof line.coredns_dns_request_duration_seconds, 'number');
    }
  },
);

test(
  'EDGE_DNS_METRICS_SAMPLE=0: no line; EDGE_DNS_METRICS=emf: EMF lines on Workers too',
  GUARD,
  async () => {
    const m = await startWorkers({
      none: { EDGE_DNS_METRICS_SAMPLE: '0' },
      emf: { EDGE_DNS_METRICS: 'emf' },
    });
    // The unsampled worker's requests first: a line of theirs would come before the emf worker's.
    for (let i = 0; i < 3; i++)
      assert.equal(await ask(m, 'none', 'cart.shop.svc.cluster.local.', 'A'), 200);
    assert.equal(await ask(m, 'emf', 'cart.shop.svc.cluster.local.', 'A'), 200);
    const [line] = await linesOf(m, 1);
    assert.equal((line!._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics.length, 3);
    assert.deepEqual([line!.type, line!.rcode], ['A', 'NOERROR']);
  },
);
