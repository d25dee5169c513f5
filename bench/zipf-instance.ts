// One edge instance (a fresh edgeApp: an empty cache) through the Zipf query sequence of
// bench/zipf-reads.ts on a virtual clock, counting the DynamoDB reads it sends, while the sync
// publishes a change every `churnSeconds` (the busy run).
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { edgeConfigFromEnv } from '../functions/entry/edge-config.ts';
import { edgeApp } from '../functions/entry/edge-app.ts';
import type { NameNode } from '../functions/core/record.ts';
import { SERIAL_NAME } from '../functions/store/dynamodb/codec-serial.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { seededRandom } from './generate-cluster.ts';
import { readRecorder } from '../test/support/read-recorder.ts';
import { BENCH_CLUSTER, clusterId, clusterZone, type Published } from './zipf-workload.ts';

export interface ZipfRun {
  label: string;
  serialCheckSeconds: number;
  /** Seconds between published changes; 0: none. */
  churnSeconds: number;
  /** DynamoDB reads per 1,000 queries over the whole run (cold start included). */
  readsPer1000: number;
  /** The same for the queries after the warm-up (the steady state). */
  warmReadsPer1000: number;
  reads: number;
  /** Of which GetItem of the change marker (serial checks). */
  markerReads: number;
  /** Of which BatchGetItem of the change log (a check that saw the counter move). */
  logReads: number;
  /** Changes published during the run, and the names they changed that a query of the universe asks. */
  changesPublished: number;
  cache: { hits: number; misses: number; staleServed: number };
  rcodes: Record<string, number>;
}

const TOKEN = 'zipf-bench-token-0123456789';
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
/** Not in the query universe: with churnNames 'outside', the busy run's changes change no answer. */
const CHURN_NAME = 'churn.zipf-bench.svc.cluster.local';

/**
 * Which names the busy run's changes write: 'universe' (default), one owner name of the query
 * universe drawn uniformly (seeded) each time, its stored node written again as the sync does when
 * a Service's records change; 'outside', a name no query asks.
 */
export type ChurnNames = 'universe' | 'outside';

export interface Workload {
  published: Published;
  names: string[];
  sequence: Uint32Array;
  warmup: number;
  rate: number;
  cacheTtlSeconds: number;
  cacheEntries: number;
  concurrency: number;
  churnNames: ChurnNames;
}

/** The next change of the busy run: a node to write (its stored one again, or CHURN_NAME's). */
function churner(w: Workload): (n: number) => Promise<NameNode> {
  if (w.churnNames === 'outside')
    return async (n) => ({
      name: CHURN_NAME,
      sets: [{ type: 'A', ttl: 5, data: [`10.250.${(n >> 8) & 255}.${n & 255}`] }],
    });
  // Several clusters: the changes are the first cluster's (its writer), of any zone's name.
  const store = new DynamoDbStore({
    client: sdkReads(w.published.db.client),
    table: w.published.db.table,
    cluster: w.published.clusters === 1 ? BENCH_CLUSTER : clusterId(0),
  }); // not counted
  const random = seededRandom(97);
  return async () => {
    for (;;) {
      const name = w.names[Math.floor(random() * w.names.length)]!.split(' ')[0]!
        .toLowerCase()
        .replace(/\.c\d+\.bench\.example$/, '.cluster.local');
      const node = await store.lookup(name);
      if (node) return node; // NXDOMAIN names of the universe are not stored: draw again
    }
  };
}

/** One instance (a fresh edgeApp, empty cache) through the whole sequence. */
export async function runInstance(
  w: Workload,
  label: string,
  serialCheckSeconds: number,
  churnSeconds: number,
): Promise<{ run: ZipfRun; firstLookups: { all: number; warm: number } }> {
  const { db, writer } = w.published;
  let reads = 0;
  let markerReads = 0;
  let logReads = 0;
  /** Names looked up: the first read of each, and whether it came after the warm-up. */
  const firstRead = new Map<string, boolean>();
  let warm = false;
  const client = readRecorder(db.client, (r) => {
    reads++;
    if (r.op === 'BatchGetItem' && r.changeLog) logReads++;
    if (r.op === 'GetItem' && r.name === SERIAL_NAME) markerReads++;
    else if (r.op === 'GetItem' && !firstRead.has(`${r.cluster}/${r.name}`))
      firstRead.set(`${r.cluster}/${r.name}`, warm);
  });
  const config = edgeConfigFromEnv({
    EDGE_DNS_TABLE: db.table,
    ...(w.published.clusters === 1
      ? { EDGE_DNS_CLUSTER: BENCH_CLUSTER }
      : {
          EDGE_DNS_CLUSTER_ZONES: Array.from(
            { length: w.published.clusters },
            (_, i) => `${clusterZone(i)}=${clusterId(i)}`,
          ).join(','),
        }),
    EDGE_DNS_REGION: 'us-east-1',
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: w.cacheTtlSeconds,
    EDGE_DNS_CACHE_ENTRIES: w.cacheEntries,
    EDGE_DNS_SERIAL_CHECK: serialCheckSeconds,
  });
  const t0 = 1_700_000_000_000;
  let clock = t0;
  const { app, store } = edgeApp(config, sdkReads(client), () => clock);

  const encoded = new Map<number, string>();
  const rcodes: Record<string, number> = {};
  let readsCold = 0;
  let next = 0;
  let changes = 0;
  const nextChange = churner(w);
  const one = async (i: number): Promise<void> => {
    const rank = w.sequence[i]!;
    let dns = encoded.get(rank);
    if (dns === undefined) {
      const [name, type] = w.names[rank]!.split(' ') as [string, RecordType];
      dns = Buffer.from(
        dnsPacket.encode({
          type: 'query',
          id: 0,
          flags: dnsPacket.RECURSION_DESIRED,
          questions: [{ name, type, class: 'IN' }],
        }),
      ).toString('base64url');
      encoded.set(rank, dns);
    }
    const at = (i * 1000) / w.rate;
    // The busy cluster: the sync publishes a change (and bumps the marker) every churnSeconds.
    if (churnSeconds > 0 && Math.floor(at / (churnSeconds * 1000)) > changes) {
      const n = ++changes;
      const result = await writer.apply({ put: [await nextChange(n)], delete: [] });
      if (result.failed.length > 0) throw new Error(`churn: ${result.failed[0]!.error}`);
    }
    clock = t0 + at;
    const response = await app.fetch(
      new Request(`https://edge-dns.test/dns-query?dns=${dns}`, {
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/dns-message' },
      }),
    );
    const body = new Uint8Array(await response.arrayBuffer());
    const rcode =
      response.status === 200 ? (RCODES[body[3]! & 0xf] ?? 'other') : `HTTP ${response.status}`;
    rcodes[rcode] = (rcodes[rcode] ?? 0) + 1;
  };
  const queries = w.sequence.length;
  await Promise.all(
    Array.from({ length: w.concurrency }, async () => {
      while (next < queries) {
        const i = next++;
        if (i === w.warmup) {
          readsCold = reads;
          warm = true;
        }
        await one(i);
      }
    }),
  );
  if (w.warmup >= queries) readsCold = reads;
  const warmQueries = queries - w.warmup;
  const run: ZipfRun = {
    label,
    serialCheckSeconds,
    churnSeconds,
    readsPer1000: (reads * 1000) / queries,
    warmReadsPer1000: warmQueries > 0 ? ((reads - readsCold) * 1000) / warmQueries : NaN,
    reads,
    markerReads,
    logReads,
    changesPublished: changes,
    cache: { hits: store.hits, misses: store.misses, staleServed: store.staleServed },
    rcodes,
  };
  const firstLookups = {
    all: firstRead.size,
    warm: [...firstRead.values()].filter(Boolean).length,
  };
  return { run, firstLookups };
}
