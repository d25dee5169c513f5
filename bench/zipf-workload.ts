// The Zipf workload of bench/zipf-reads.ts: the generated cluster published to dynalite by the
// real sync, the query universe in popularity order, and the Zipf sampler over it.
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { staticSource } from '../sync/reconcile/object-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { emptyObjects, parseSnapshot } from '../sync/snapshot/parse.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { startDynalite, type Dynalite } from '../test/support/dynalite.ts';
import { generateCluster, seededRandom, type QueryNames } from './generate-cluster.ts';

export const BENCH_CLUSTER = 'bench';
/** With several clusters: cluster `bench-<i>` answers under `c<i>.bench.example` (cluster zones). */
export const clusterId = (i: number) => `${BENCH_CLUSTER}-${i}`;
export const clusterZone = (i: number) => `c${i}.bench.example`;

export interface Published {
  db: Dynalite;
  /** The sync's writer, for the busy run's changes (it bumps the change marker): the first cluster's. */
  writer: DynamoDbWriter;
  /** Clusters published (the same objects under each id): 1 is BENCH_CLUSTER alone. */
  clusters: number;
  queries: QueryNames;
  services: number;
  publishSeconds: number;
}

export async function publishGenerated(options: {
  services?: number;
  namespaces?: number;
  clusters?: number;
  log?: (line: string) => void;
}): Promise<Published> {
  const clusters = options.clusters ?? 1;
  const log = options.log ?? (() => {});
  const services = options.services ?? 10_000;
  const { list, queries } = generateCluster({
    services,
    namespaces: options.namespaces ?? 100,
    seed: 1,
  });
  const objects = emptyObjects();
  parseSnapshot(
    JSON.stringify({ ...list, items: list.items.filter((i) => i.kind !== 'Pod') }),
    'generated',
    objects,
  ); // pods disabled
  const db = await startDynalite({ maxAttempts: 3 });
  const ids =
    clusters === 1 ? [BENCH_CLUSTER] : Array.from({ length: clusters }, (_, i) => clusterId(i));
  const writers = ids.map(
    (cluster) => new DynamoDbWriter({ client: db.client, table: db.table, cluster }),
  );
  const started = performance.now();
  for (const writer of writers) {
    const round = await new Reconciler({
      source: staticSource(objects),
      build: defaultBuildOptions,
      writer,
      hash: contentHash,
      resyncMs: 0,
    }).start();
    if (round.failed > 0) throw new Error(`publish: ${round.failed} names failed`);
    log(`published ${services} services as ${ids[writers.indexOf(writer)]}: ${round.put} names`);
  }
  const publishSeconds = (performance.now() - started) / 1000;
  log(`published in ${publishSeconds.toFixed(1)} s (the sync into dynalite)`);
  return { db, writer: writers[0]!, clusters, queries, services, publishSeconds };
}

/**
 * Every query of the bench:dns mix once, in a seeded random order (the popularity ranks). With
 * several clusters, each query once per cluster zone (reverse names once: they have no zone).
 */
export function universe(q: QueryNames, seed: number, clusters = 1): string[] {
  const zoned = (names: string[]) =>
    clusters === 1
      ? names
      : names.flatMap((n) =>
          Array.from({ length: clusters }, (_, i) =>
            n.replace(/\.cluster\.local( |$)/, `.${clusterZone(i)}$1`),
          ),
        );
  const all = [
    ...[...q.a, ...q.headless, ...q.hostnames].map((n) => `${n} A`),
    ...q.aaaaNodata.map((n) => `${n} AAAA`),
    ...q.srv.map((n) => `${n} SRV`),
    ...q.ptr.map((n) => `${n} PTR`),
    ...q.nxdomain.map((n) => `${n} A`),
  ];
  const out = [...new Set(zoned(all))];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws ranks 0..n-1 with P(k) proportional to 1/(k+1)^s, by inverse CDF. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
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
