// DynamoDB reads per 1,000 DoH queries through the edge app's per-instance cache (floor:
// under 50), for a Zipf-distributed workload. `npm run bench:doh` calls zipfReads(); run directly:
//   npx tsx bench/zipf-reads.ts [--services 10000] [--namespaces 100] [--queries 100000] [--s 1.0]
//                               [--clusters 1] (N > 1: N clusters, the same objects, behind one edge)
//                               [--rate 1000] [--cache-ttl 30] [--serial-check 1] [--churn 1]
//                               [--warmup QUERIES] [--runs ttl,serial,busy] [--rates 100,1000,10000]
//                               [--churn-names universe|outside]
//
// The workload (defaults):
// - The cluster: bench/generate-cluster.ts, 10,000 services in 100 namespaces (seed 1), published
//   to dynalite by the real sync (Reconciler + DynamoDbWriter), as the edge would find it.
// - The universe: every query of the bench:dns mix (bench/query-mix.ts), about 52,000: A of
//   ClusterIP and headless services and hostnames, AAAA of IPv4-only services (NODATA), SRV, PTR
//   and NXDOMAIN names; shuffled with a seed, so popularity does not follow the kind.
// - Queries: 100,000, query i drawn as the one of rank k with probability proportional to 1/k^s,
//   s = 1.0 (Zipf), each a wire GET through edgeApp (token auth) on ONE instance, 8 in flight.
// - Rate: 1,000 queries/s on a virtual clock (query i happens at i / rate seconds): 100 s in all,
//   so cache TTLs (30 s) and serial checks (1 s) expire as they would at that rate.
// - Reads: GetItem + BatchGetItem calls sent, including the serial checks' GetItem of the change
//   marker and the change log's BatchGetItem when the counter moved (both counted apart too).
//
// Each run starts with an empty cache (a new instance), so it reports:
// - the whole run, cold start included, and the steady state: the queries after the warm-up (by
//   default the first cache TTL; --warmup sets it);
// - the cold bound: the distinct names the resolver looked up, per 1,000 queries; any cache that
//   starts empty reads each at least once. Over the whole run, and for the steady state (names
//   first looked up after the warm-up): the long tail of a Zipf workload keeps bringing new names
//   long after the warm-up, and no cache can answer those without a read.
//
// Runs: TTL-only (EDGE_DNS_SERIAL_CHECK=0: every name re-read every TTL); serial-validated on a
// quiet cluster (nothing changes during the run); serial-validated on a busy cluster: the sync
// publishes a change every `churn` seconds, each one owner name of the universe drawn uniformly
// (seeded) and written again (--churn-names outside: a name no query asks), which moves the change
// counter and logs the name (functions/store/serial-watch.ts 3.).
//
// Figures (read counts, which do not depend on the machine; reads per 1,000 queries):
//                                      default run, 100 s        a long-lived instance: the same
//                                      whole run / after 30 s    workload for 1,000 s, the last 100 s
//   TTL-only                           347.7 / 333.6             326.9
//   serial-validated, quiet cluster    227.9 / 162.1               5.3  (1.0 of it the checks)
//   serial-validated, change every 1 s 229.1 / 163.3               7.3  (1.0 checks, 0.9 change-log reads)
//     ... every 10 s / 60 s                                        5.5 / 5.3
//   cold bound                         219.4 / 150.3               4.3
// (--queries 1000000 --warmup 900000.) In the 100 s run the serial-validated cache reads within 13
// per 1,000 of the cold bound (the checks, and the names read in the first second, which are
// re-read once after their TTL: serial-watch.ts 4.): the floor is out of any cache's reach while
// the Zipf tail is still being discovered. A long-lived instance is under it, quiet or busy: a
// change costs a change-log read at the next check (one per check, however many values it moved)
// and the re-read of the names it changed when they are asked again (twice: the first read may
// miss the write, serial-watch.ts 4.), about 1 per change here; with the counter alone (before the
// change log) any change revalidated every name and a change every 1/10/60/300 s read 327.9 /
// 327.8 / 318.7 / 113.6. The one-hour cap on entries kept by the counter alone (serial-watch.ts
// maxAgeMs) adds about one read per name asked per hour, some 12 per 1,000 at this rate
// (estimated, not in the 1,000 s run).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { edgeDefaults } from '../functions/entry/edge-config.ts';
import { seededRandom } from './generate-cluster.ts';
import { runInstance, type ChurnNames, type Workload, type ZipfRun } from './zipf-instance.ts';
import { publishGenerated, universe, zipfSampler, type Published } from './zipf-workload.ts';

export interface ZipfOptions {
  services?: number;
  namespaces?: number;
  /** Clusters behind the one edge (cluster zones, docs/architecture.md §6.17); default 1. */
  clusters?: number;
  /** Queries sent per run (default 100,000, as bench:dns's query file). */
  queries?: number;
  /** Zipf exponent (default 1.0). */
  s?: number;
  /** Queries per second reaching the one instance (virtual clock; default 1,000). */
  rate?: number;
  cacheTtlSeconds?: number;
  cacheEntries?: number;
  /** EDGE_DNS_SERIAL_CHECK of the serial-validated runs (default: the edge default, 1 s). */
  serialCheckSeconds?: number;
  /** The busy run publishes a change every this many seconds (default 1). */
  churnSeconds?: number;
  /** Which names its changes write (default 'universe': zipf-instance.ts ChurnNames). */
  churnNames?: ChurnNames;
  /** Queries before the steady state (default: one cache TTL's worth). */
  warmupQueries?: number;
  /** Which runs (default all three). */
  runs?: RunKind[];
  seed?: number;
  /** Queries in flight (default 8). */
  concurrency?: number;
  log?: (line: string) => void;
}

type RunKind = 'ttl' | 'serial' | 'busy';

export interface ZipfReport {
  settings: {
    services: number;
    clusters: number;
    s: number;
    rate: number;
    queries: number;
    warmupQueries: number;
    cacheTtlSeconds: number;
    cacheEntries: number;
    serialCheckSeconds: number;
  };
  /** Distinct queries in the universe, and how many of them were asked. */
  universe: number;
  distinctAsked: number;
  /** Distinct names looked up per 1,000 queries: what any cache that starts empty reads at least. */
  coldBoundPer1000: number;
  /** Names first looked up after the warm-up, per 1,000 steady-state queries. */
  warmColdBoundPer1000: number;
  ttlOnly?: ZipfRun;
  /** The edge's default: serial-validated, on a quiet cluster. */
  serial?: ZipfRun;
  /** Serial-validated while the sync publishes a change every churnSeconds. */
  busy?: ZipfRun;
  publishSeconds: number;
}

/** Publishes the generated cluster, runs the workload (every run), closes dynalite. */
export async function zipfReads(options: ZipfOptions = {}): Promise<ZipfReport> {
  const published = await publishGenerated(options);
  try {
    return await runZipf(published, options);
  } finally {
    await published.db.close();
  }
}

/** The runs asked for (default all three), on one query sequence. */
async function runZipf(published: Published, options: ZipfOptions): Promise<ZipfReport> {
  const queries = options.queries ?? 100_000;
  const s = options.s ?? 1.0;
  const rate = options.rate ?? 1000;
  const cacheTtlSeconds = options.cacheTtlSeconds ?? edgeDefaults.cacheTtlSeconds;
  const cacheEntries = options.cacheEntries ?? edgeDefaults.cacheEntries;
  const serialCheckSeconds = options.serialCheckSeconds ?? edgeDefaults.serialCheckSeconds;
  const churnSeconds = options.churnSeconds ?? 1;
  const runs = new Set(options.runs ?? ['ttl', 'serial', 'busy']);
  const names = universe(published.queries, options.seed ?? 11, published.clusters);
  // The same query sequence for every run.
  const draw = zipfSampler(names.length, s, seededRandom(options.seed ?? 11));
  const sequence = Uint32Array.from({ length: queries }, draw);
  const warmup = Math.min(queries, options.warmupQueries ?? Math.round(rate * cacheTtlSeconds));
  const workload: Workload = {
    published,
    names,
    sequence,
    warmup,
    rate,
    cacheTtlSeconds,
    cacheEntries,
    concurrency: options.concurrency ?? 8,
    churnNames: options.churnNames ?? 'universe',
  };

  const ttlOnly = runs.has('ttl') ? await runInstance(workload, 'TTL-only', 0, 0) : undefined;
  const serialOn = serialCheckSeconds > 0;
  const serial =
    runs.has('serial') && serialOn
      ? await runInstance(workload, 'serial-validated, quiet cluster', serialCheckSeconds, 0)
      : undefined;
  const busyLabel = `serial-validated, a change every ${churnSeconds} s${workload.churnNames === 'outside' ? ' (no name asked)' : ''}`;
  const busy =
    runs.has('busy') && serialOn && churnSeconds > 0
      ? await runInstance(workload, busyLabel, serialCheckSeconds, churnSeconds)
      : undefined;
  // Every run looks up the same names (the resolver's lookups depend on the queries only).
  const first = (ttlOnly ?? serial ?? busy)?.firstLookups ?? { all: NaN, warm: NaN };
  return {
    settings: {
      services: published.services,
      clusters: published.clusters,
      s,
      rate,
      queries,
      warmupQueries: warmup,
      cacheTtlSeconds,
      cacheEntries,
      serialCheckSeconds,
    },
    universe: names.length,
    distinctAsked: new Set(sequence).size,
    coldBoundPer1000: (first.all * 1000) / queries,
    warmColdBoundPer1000: queries > warmup ? (first.warm * 1000) / (queries - warmup) : NaN,
    ...(ttlOnly && { ttlOnly: ttlOnly.run }),
    ...(serial && { serial: serial.run }),
    ...(busy && { busy: busy.run }),
    publishSeconds: published.publishSeconds,
  };
}

export function describeZipf(r: ZipfReport): string {
  const o = r.settings;
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(1));
  const line = (run: ZipfRun) =>
    `  ${`${run.label}:`.padEnd(44)} ${f(run.readsPer1000).padStart(6)} whole run, ${f(run.warmReadsPer1000).padStart(6)} steady state` +
    ` (${run.reads} reads${run.markerReads > 0 ? `, ${run.markerReads} of them serial checks` : ''}${run.logReads > 0 ? `, ${run.logReads} change-log reads` : ''}; ${run.cache.hits} cache hits${run.changesPublished > 0 ? `; ${run.changesPublished} changes published` : ''})`;
  const runs = [r.ttlOnly, r.serial, r.busy].filter((x): x is ZipfRun => x !== undefined);
  // Several clusters behind one edge are held to 10 (a long-lived instance).
  const limit = o.clusters > 1 ? 10 : 50;
  const floor = runs
    .map(
      (run) =>
        `${run.warmReadsPer1000 < limit ? 'met' : 'not met'} by ${run.label} (${f(run.warmReadsPer1000)})`,
    )
    .join('; ');
  return [
    `Zipf s=${o.s} over the ${r.universe} queries of the ${o.services}-service cluster${o.clusters > 1 ? ` x ${o.clusters} clusters behind one edge (cluster zones)` : ''} (${r.distinctAsked} distinct asked), ${o.queries} queries at ${o.rate} q/s on one instance (${o.queries / o.rate} s), cache TTL ${o.cacheTtlSeconds} s, ${o.cacheEntries} entries, serial check ${o.serialCheckSeconds} s; steady state = after the first ${o.warmupQueries} queries (${o.warmupQueries / o.rate} s):`,
    `  DynamoDB reads per 1,000 queries (floor: < ${limit})`,
    ...runs.map(line),
    `  ${'cold bound (any cache that starts empty):'.padEnd(44)} ${f(r.coldBoundPer1000).padStart(6)} whole run, ${f(r.warmColdBoundPer1000).padStart(6)} steady state (names first looked up then: the Zipf tail)`,
    `  the floor in steady state: ${floor}`,
    `  rcodes ${Object.entries(runs[0]?.rcodes ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      services: { type: 'string' },
      namespaces: { type: 'string' },
      clusters: { type: 'string' },
      queries: { type: 'string' },
      s: { type: 'string' },
      rate: { type: 'string' },
      rates: { type: 'string' },
      'cache-ttl': { type: 'string' },
      'serial-check': { type: 'string' },
      churn: { type: 'string' },
      'churn-names': { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const options: ZipfOptions = {
    services: num(values.services),
    namespaces: num(values.namespaces),
    clusters: num(values.clusters),
    queries: num(values.queries),
    s: num(values.s),
    cacheTtlSeconds: num(values['cache-ttl']),
    serialCheckSeconds: num(values['serial-check']),
    churnSeconds: num(values.churn),
    ...(values['churn-names'] !== undefined && { churnNames: values['churn-names'] as ChurnNames }),
    warmupQueries: num(values.warmup),
    ...(values.runs !== undefined && { runs: values.runs.split(',') as RunKind[] }),
    log: (line) => console.log(line),
  };
  const rates = values.rates ? values.rates.split(',').map(Number) : [num(values.rate) ?? 1000];
  const published = await publishGenerated(options);
  try {
    for (const rate of rates)
      console.log(describeZipf(await runZipf(published, { ...options, rate })));
  } finally {
    await published.db.close();
  }
}
