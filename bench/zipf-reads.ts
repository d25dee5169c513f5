// DynamoDB reads per 1,000 DoH queries through the edge app's per-instance cache (issue 4, floor:
// under 50), for a Zipf-distributed workload. `npm run bench:doh` calls zipfReads(); run directly:
//   npx tsx bench/zipf-reads.ts [--services 10000] [--namespaces 100] [--queries 100000] [--s 1.0]
//                               [--rate 1000] [--cache-ttl 30] [--rates 100,1000,10000]
//
// 1. Generates the cluster (bench/generate-cluster.ts, seed 1) and publishes it to dynalite with
//    the real sync (Reconciler + DynamoDbWriter), as the edge would find it.
// 2. The query universe is every query of the bench:dns mix (bench/query-mix.ts): A of ClusterIP
//    and headless services and hostnames, AAAA of IPv4-only services (NODATA), SRV, PTR and
//    NXDOMAIN names; shuffled with a seed, so popularity does not follow the kind. Query i is the
//    one of rank k with probability proportional to 1/k^s (Zipf).
// 3. Each query is a wire GET through edgeApp (token auth, the configured cache) on one instance;
//    the instance's clock is virtual: query i happens at i / rate seconds, so the cache TTL
//    expires as it would at that request rate. Reads = GetItem + BatchGetItem calls sent.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BatchGetItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { edgeConfigFromEnv, edgeDefaults } from '../functions/config/edge-config.ts';
import { edgeApp } from '../functions/doh/edge-app.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { defaultBuildOptions } from '../sync/build/options.ts';
import { staticSource } from '../sync/reconcile/object-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { emptyObjects, parseSnapshot } from '../sync/snapshot/parse.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { startDynalite, type Dynalite } from '../test/support/dynalite.ts';
import { generateCluster, seededRandom, type QueryNames } from './generate-cluster.ts';

export interface ZipfOptions {
  services?: number;
  namespaces?: number;
  /** Queries sent (default 100,000, as bench:dns's query file). */
  queries?: number;
  /** Zipf exponent (default 1.0). */
  s?: number;
  /** Queries per second reaching the one instance (virtual clock; default 1,000). */
  rate?: number;
  cacheTtlSeconds?: number;
  cacheEntries?: number;
  seed?: number;
  /** Queries in flight (default 8). */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface ZipfReport {
  /** The figure: DynamoDB reads per 1,000 queries, over the whole run (cold start included). */
  readsPer1000: number;
  /** The same after the first cache TTL of the run (the warm instance). */
  warmReadsPer1000: number;
  queries: number;
  reads: number;
  /** Distinct queries in the universe, and how many of them were asked. */
  universe: number;
  distinctAsked: number;
  /** Owner names of the queries asked, per 1,000 queries: the least any cache that starts empty
   *  reads (each name once), whatever its TTL. */
  coldBoundPer1000: number;
  cache: { hits: number; misses: number; staleServed: number };
  rcodes: Record<string, number>;
  settings: { services: number; s: number; rate: number; cacheTtlSeconds: number; cacheEntries: number };
  publishSeconds: number;
}

const TOKEN = 'zipf-bench-token-0123456789';
const CLUSTER = 'bench';
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/** Publishes the generated cluster, runs the workload once, closes dynalite. */
export async function zipfReads(options: ZipfOptions = {}): Promise<ZipfReport> {
  const published = await publishGenerated(options);
  try {
    return await runZipf(published, options);
  } finally {
    await published.db.close();
  }
}

interface Published {
  db: Dynalite;
  queries: QueryNames;
  services: number;
  publishSeconds: number;
}

export async function publishGenerated(options: ZipfOptions): Promise<Published> {
  const log = options.log ?? (() => {});
  const services = options.services ?? 10_000;
  const { list, queries } = generateCluster({ services, namespaces: options.namespaces ?? 100, seed: 1 });
  const objects = emptyObjects();
  parseSnapshot(JSON.stringify({ ...list, items: list.items.filter((i) => i.kind !== 'Pod') }), 'generated', objects); // pods disabled
  const db = await startDynalite({ maxAttempts: 3 });
  const started = performance.now();
  const round = await new Reconciler({
    source: staticSource(objects),
    build: defaultBuildOptions,
    writer: new DynamoDbWriter({ client: db.client, table: db.table, cluster: CLUSTER }),
    hash: contentHash,
    resyncMs: 0,
  }).start();
  const publishSeconds = (performance.now() - started) / 1000;
  if (round.failed > 0) throw new Error(`publish: ${round.failed} names failed`);
  log(`published ${services} services: ${round.put} names in ${publishSeconds.toFixed(1)} s (the sync into dynalite)`);
  return { db, queries, services, publishSeconds };
}

/** Every query of the bench:dns mix once, in a seeded random order (the popularity ranks). */
function universe(q: QueryNames, seed: number): string[] {
  const all = [
    ...[...q.a, ...q.headless, ...q.hostnames].map((n) => `${n} A`),
    ...q.aaaaNodata.map((n) => `${n} AAAA`),
    ...q.srv.map((n) => `${n} SRV`),
    ...q.ptr.map((n) => `${n} PTR`),
    ...q.nxdomain.map((n) => `${n} A`),
  ];
  const out = [...new Set(all)];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws ranks 0..n-1 with P(k) proportional to 1/(k+1)^s, by inverse CDF. */
function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export async function runZipf(published: Published, options: ZipfOptions): Promise<ZipfReport> {
  const queries = options.queries ?? 100_000;
  const s = options.s ?? 1.0;
  const rate = options.rate ?? 1000;
  const cacheTtlSeconds = options.cacheTtlSeconds ?? edgeDefaults.cacheTtlSeconds;
  const cacheEntries = options.cacheEntries ?? edgeDefaults.cacheEntries;
  const concurrency = options.concurrency ?? 8;
  const { db } = published;

  let reads = 0;
  const client: Pick<DynamoDBClient, 'send'> = {
    send: ((command: unknown) => {
      if (command instanceof GetItemCommand || command instanceof BatchGetItemCommand) reads++;
      return db.client.send(command as GetItemCommand);
    }) as DynamoDBClient['send'],
  };
  const config = edgeConfigFromEnv({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: CLUSTER,
    EDGE_DNS_REGION: 'us-east-1',
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: cacheTtlSeconds,
    EDGE_DNS_CACHE_ENTRIES: cacheEntries,
  });
  const t0 = 1_700_000_000_000;
  let clock = t0;
  const { app, store } = edgeApp(config, client, () => clock);

  const names = universe(published.queries, options.seed ?? 11);
  const draw = zipfSampler(names.length, s, seededRandom(options.seed ?? 11));
  const encoded = new Map<number, string>();
  const asked = new Set<number>();
  const rcodes: Record<string, number> = {};
  const coldQueries = Math.min(queries, Math.round(rate * cacheTtlSeconds));
  let readsCold = 0;
  let next = 0;

  const one = async (i: number): Promise<void> => {
    const rank = draw();
    asked.add(rank);
    let dns = encoded.get(rank);
    if (dns === undefined) {
      const [name, type] = names[rank]!.split(' ') as [string, RecordType];
      dns = Buffer.from(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] })).toString('base64url');
      encoded.set(rank, dns);
    }
    clock = t0 + (i * 1000) / rate;
    const response = await app.fetch(new Request(`https://edge-dns.test/dns-query?dns=${dns}`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/dns-message' } }));
    const body = new Uint8Array(await response.arrayBuffer());
    const rcode = response.status === 200 ? (RCODES[body[3]! & 0xf] ?? 'other') : `HTTP ${response.status}`;
    rcodes[rcode] = (rcodes[rcode] ?? 0) + 1;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queries) {
        const i = next++;
        if (i === coldQueries) readsCold = reads;
        await one(i);
      }
    }),
  );
  if (coldQueries >= queries) readsCold = reads;
  const warmQueries = queries - coldQueries;
  return {
    readsPer1000: (reads * 1000) / queries,
    warmReadsPer1000: warmQueries > 0 ? ((reads - readsCold) * 1000) / warmQueries : NaN,
    queries,
    reads,
    universe: names.length,
    distinctAsked: asked.size,
    coldBoundPer1000: (new Set([...asked].map((rank) => names[rank]!.split(' ')[0])).size * 1000) / queries,
    cache: { hits: store.hits, misses: store.misses, staleServed: store.staleServed },
    rcodes,
    settings: { services: published.services, s, rate, cacheTtlSeconds, cacheEntries },
    publishSeconds: published.publishSeconds,
  };
}

export function describeZipf(r: ZipfReport): string {
  const { settings: o } = r;
  return [
    `Zipf s=${o.s} over ${r.universe} queries of the ${o.services}-service cluster (${r.distinctAsked} distinct asked), ${r.queries} queries at ${o.rate} q/s on one instance, cache TTL ${o.cacheTtlSeconds} s, ${o.cacheEntries} entries:`,
    `  DynamoDB reads per 1,000 queries: ${r.readsPer1000.toFixed(1)} (${r.reads} reads; after the first cache TTL: ${Number.isNaN(r.warmReadsPer1000) ? 'n/a' : r.warmReadsPer1000.toFixed(1)})  floor: < 50`,
    `  an empty cache reads each name asked at least once: ${r.coldBoundPer1000.toFixed(1)} per 1,000 queries at best, whatever its TTL`,
    `  cache hits ${r.cache.hits}, misses ${r.cache.misses}; rcodes ${Object.entries(r.rcodes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      services: { type: 'string' },
      namespaces: { type: 'string' },
      queries: { type: 'string' },
      s: { type: 'string' },
      rate: { type: 'string' },
      rates: { type: 'string' },
      'cache-ttl': { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const options: ZipfOptions = {
    services: num(values.services),
    namespaces: num(values.namespaces),
    queries: num(values.queries),
    s: num(values.s),
    cacheTtlSeconds: num(values['cache-ttl']),
    log: (line) => console.log(line),
  };
  const rates = values.rates ? values.rates.split(',').map(Number) : [num(values.rate) ?? 1000];
  const published = await publishGenerated(options);
  try {
    for (const rate of rates) console.log(describeZipf(await runZipf(published, { ...options, rate })));
  } finally {
    await published.db.close();
  }
}
