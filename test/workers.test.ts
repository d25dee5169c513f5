// The BUILT Workers bundle (dist/workers/workers.mjs) in workerd through miniflare, with
// infra/cloudflare/wrangler.toml's compatibility date, flags and [vars], reading DynamoDB
// (dynalite on 127.0.0.1, filled by the real sync's reconciler) through signed fetches (http-reads.ts):
// the shared DoH case table; no valid token -> 401 with nothing read; DynamoDB stopped -> cached
// names still answer, uncached ones SERVFAIL; a bad configuration answers 500 naming the binding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import {
  Miniflare,
  fetch as miniflareFetch,
  type Request as MiniflareRequest,
  type WorkerOptions,
} from 'miniflare';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { staticSource } from '../sync/reconcile/object-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { ORIGIN, runDohCases, type Fetcher } from './doh/run-cases.ts';
import { closedPort } from './support/closed-port.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { toPresentation } from './support/presentation.ts';
import { startDohUpstream, type DohUpstreamServer } from './support/doh-upstream.ts';

const CLUSTER = 'ci';
const TOKEN = 'workers-test-token-0123456789abcdef';
/** A guard against a hung runtime; not an assertion on speed. */
const GUARD = { timeout: 60_000 };

/** compatibility_date, compatibility_flags and [vars] of wrangler.toml (flat `key = value` lines). */
function wranglerSettings(): {
  compatibilityDate: string;
  compatibilityFlags: string[];
  vars: Record<string, string>;
} {
  const text = readFileSync(join(REPO_ROOT, 'infra/cloudflare/wrangler.toml'), 'utf8');
  const top: Record<string, unknown> = {};
  const vars: Record<string, string> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s+)#.*$/, '').trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const value = JSON.parse(kv[2]!) as unknown; // TOML basic strings, arrays of them and booleans are JSON here
    if (section === 'vars') vars[kv[1]!] = String(value);
    else if (section === '') top[kv[1]!] = value;
  }
  return {
    compatibilityDate: top.compatibility_date as string,
    compatibilityFlags: top.compatibility_flags as string[],
    vars,
  };
}

/** The sample cluster (and the large headless service, for the large-answer case) published to the
 *  table by the sync's reconciler, as `sync --once --snapshot` does. */
async function publishSample(db: Dynalite): Promise<void> {
  const writer = new DynamoDbWriter({ client: db.client, table: db.table, cluster: CLUSTER });
  const source = staticSource(
    readSnapshots(
      [SAMPLE_CLUSTER, 'test/fixtures/large-headless.json'].map((f) => join(REPO_ROOT, f)),
    ),
  );
  const reconciler = new Reconciler({
    source,
    build: defaultBuildOptions,
    writer,
    hash: contentHash,
    resyncMs: 0,
  });
  const report = await reconciler.start();
  await reconciler.stop();
  assert.equal(report.failed, 0, 'the sync published every name');
}

type WorkerFetch = (
  url: string,
  init: { method: string; headers: [string, string][]; body?: Uint8Array; redirect: 'manual' },
) => Promise<{
  status: number;
  headers: Iterable<[string, string]>;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** A Fetcher (global Request/Response) over a miniflare worker's fetch. */
function fetcherOf(fetch: WorkerFetch): Fetcher {
  return async (request) => {
    const body =
      request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : new Uint8Array(await request.arrayBuffer());
    const res = await fetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      ...(body && { body }),
      redirect: 'manual',
    });
    const bytes = await res.arrayBuffer();
    return new Response([101, 204, 205, 304].includes(res.status) ? null : bytes, {
      status: res.status,
      headers: [...res.headers],
    });
  };
}

const dist = mkdtempSync(join(tmpdir(), 'edge-dns-workers-'));
const settings = wranglerSettings();
let db: Dynalite;
let mf: Miniflare;
/** Our own Node DoH server as the Worker's upstream (EDGE_DNS_FORWARD), answering example.com. */
let upstream: DohUpstreamServer;
/** DynamoDB requests the 'edge' worker made, by operation (X-Amz-Target), counted on their way to dynalite. */
const reads: string[] = [];

before(async () => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, 'workers'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  db = await startDynalite();
  await publishSample(db);
  const down = `http://127.0.0.1:${await closedPort()}`;
  upstream = await startDohUpstream();
  const worker = (name: string, bindings: Record<string, string | undefined>): WorkerOptions => ({
    name,
    modules: true,
    scriptPath: join(dist, 'workers/workers.mjs'),
    modulesRoot: join(dist, 'workers'),
    compatibilityDate: settings.compatibilityDate,
    compatibilityFlags: settings.compatibilityFlags,
    bindings: Object.fromEntries(
      Object.entries(bindings).filter((e): e is [string, string] => e[1] !== undefined),
    ),
  });
  // wrangler.toml's [vars], pointed at the test table; the secrets as `wrangler secret put` sets them.
  // A long cache TTL, so that "cached" does not depend on how long the cases take.
  const good = {
    ...settings.vars,
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: CLUSTER,
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_CACHE_TTL: '3600',
    EDGE_DNS_TOKENS: TOKEN,
    // Metric lines are tested in test/workers-metrics.test.ts; here they would only fill the output.
    EDGE_DNS_METRICS: 'off',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      {
        ...worker('edge', good),
        // The worker's outbound fetches pass through here unchanged (to dynalite), counted.
        outboundService: (request: MiniflareRequest) => {
          reads.push(request.headers.get('x-amz-target') ?? `${request.method} ${request.url}`);
          return miniflareFetch(request);
        },
      },
      // The same settings with DynamoDB unreachable (connection refused), straight from workerd.
      worker('down', { ...good, EDGE_DNS_DYNAMODB_ENDPOINT: down }),
      worker('no-tokens', { ...good, EDGE_DNS_TOKENS: undefined }),
      worker('no-secret', { ...good, AWS_SECRET_ACCESS_KEY: undefined }),
      worker('forward', { ...good, EDGE_DNS_FORWARD: upstream.url }),
    ],
  });
  await mf.ready;
}, GUARD);

after(async () => {
  await mf?.dispose();
  await upstream?.close();
  await db?.close();
}, GUARD);

const edge = (): Fetcher => fetcherOf((url, init) => mf.dispatchFetch(url, init));
const named = async (name: string): Promise<Fetcher> => {
  // Typed against @cloudflare/workers-types, which this project does not install.
  const w = (await mf.getWorker(name)) as unknown as { fetch: WorkerFetch };
  return fetcherOf((url, init) => w.fetch(url, init));
};

const wireGet = (name: string, token?: string, path = '/dns-query'): Request => {
  const dns = Buffer.from(dnsPacket.encode(makeQuery(name, 'A', { id: 0 }))).toString('base64url');
  return new Request(`${ORIGIN}${path}?dns=${dns}`, {
    headers: {
      accept: 'application/dns-message',
      ...(token && { authorization: `Bearer ${token}` }),
    },
  });
};
const decode = async (res: Response) => dnsPacket.decode(Buffer.from(await res.arrayBuffer()));

test('the shared DoH case table through the Workers bundle in workerd', GUARD, async (t) => {
  await runDohCases(t, edge(), { token: TOKEN, servfail: await named('down') });
});

test('no valid token: 401, and nothing is read from DynamoDB', GUARD, async () => {
  const fetch = edge();
  reads.length = 0;
  const name = 'search.data.svc.cluster.local'; // not in the case table: not cached yet
  for (const request of [
    wireGet(name),
    wireGet(name, 'not-the-token-0123456789'),
    wireGet(name, undefined, '/dns-query/not-the-token-0123456789'),
  ]) {
    const res = await fetch(request);
    assert.equal(res.status, 401, request.url);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
  }
  assert.equal(reads.length, 0, `no DynamoDB request (${reads.join(', ')})`);
  const ok = await fetch(wireGet(name, TOKEN));
  assert.equal(ok.status, 200);
  assert.ok(
    reads.includes('DynamoDB_20120810.GetItem'),
    `with the token it reads (${reads.join(', ')})`,
  );
});

test(
  'DynamoDB stopped: cached names keep answering, uncached names get SERVFAIL',
  GUARD,
  async () => {
    const fetch = edge();
    const cached = 'cart.shop.svc.cluster.local';
    const first = await decode(await fetch(wireGet(cached, TOKEN)));
    assert.equal(rcodeOf(first), 'NOERROR');
    assert.ok((first.answers ?? []).length > 0, 'answered while DynamoDB is up');
    await db.stop();
    reads.length = 0;
    const again = await fetch(wireGet(cached, TOKEN));
    assert.equal(again.status, 200);
    const answer = await decode(again);
    assert.equal(rcodeOf(answer), 'NOERROR', 'a cached name answers from the isolate');
    assert.deepEqual(answer.answers, first.answers);
    const uncached = await fetch(wireGet('metrics-server.kube-system.svc.cluster.local', TOKEN));
    assert.equal(uncached.status, 200, 'a DNS answer, not an HTTP error');
    assert.equal(
      rcodeOf(await decode(uncached)),
      'SERVFAIL',
      'an uncached name: SERVFAIL, never NXDOMAIN',
    );
    assert.equal(uncached.headers.get('cache-control'), 'no-store');
    assert.ok(reads.length > 0, 'the uncached name was tried against DynamoDB');
  },
);

test('a bad configuration answers 500 naming the binding', GUARD, async () => {
  for (const [name, binding] of [
    ['no-tokens', 'EDGE_DNS_TOKENS'],
    ['no-secret', 'AWS_SECRET_ACCESS_KEY'],
  ] as const) {
    const fetch = await named(name);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(wireGet('kubernetes.default.svc.cluster.local', TOKEN));
      assert.equal(res.status, 500, name);
      assert.match(
        await res.text(),
        new RegExp(`^edge-dns: bad configuration: .*${binding}`, 's'),
        name,
      );
    }
  }
});

test(
  'names outside the zones: REFUSED without EDGE_DNS_FORWARD; with it, from the DoH upstream through the isolate cache',
  GUARD,
  async () => {
    const refused = await decode(await edge()(wireGet('www.example.com', TOKEN)));
    assert.equal(rcodeOf(refused), 'REFUSED');
    const fetch = await named('forward');
    upstream.queries.length = 0;
    for (const round of [1, 2]) {
      const res = await fetch(wireGet('WWW.example.com', TOKEN));
      assert.equal(res.status, 200);
      const reply = await decode(res);
      assert.equal(rcodeOf(reply), 'NOERROR', `round ${round}`);
      assert.equal(reply.flag_ra, true);
      assert.match(
        toPresentation(reply.answers![0]!),
        /^WWW\.example\.com\. (300|299|298) IN A 127\.0\.0\.8$/,
      );
    }
    assert.deepEqual(
      upstream.queries,
      ['www.example.com'],
      'one upstream query: the second answer came from the cache',
    );
    // (DynamoDB is stopped by an earlier test: cluster names are checked in test/forward-container.test.ts.)
  },
);
