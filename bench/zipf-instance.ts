// One edge instance (a fresh edgeApp: an empty cache) through the Zipf query sequence of
// bench/zipf-reads.ts on a virtual clock, counting the DynamoDB reads it sends.
import { BatchGetItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { edgeConfigFromEnv } from '../functions/config/edge-config.ts';
import { edgeApp } from '../functions/doh/edge-app.ts';
import { SERIAL_NAME } from '../functions/store/dynamodb/codec-serial.ts';
import { BENCH_CLUSTER, type Published } from './zipf-workload.ts';

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
  cache: { hits: number; misses: number; staleServed: number };
  rcodes: Record<string, number>;
}

const TOKEN = 'zipf-bench-token-0123456789';
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
/** Not in the query universe: the busy run's changes do not change the answers. */
const CHURN_NAME = 'churn.zipf-bench.svc.cluster.local';

export interface Workload {
  published: Published;
  names: string[];
  sequence: Uint32Array;
  warmup: number;
  rate: number;
  cacheTtlSeconds: number;
  cacheEntries: number;
  concurrency: number;
}

/** One instance (a fresh edgeApp, empty cache) through the whole sequence. */
export async function runInstance(w: Workload, label: string, serialCheckSeconds: number, churnSeconds: number): Promise<{ run: ZipfRun; firstLookups: { all: number; warm: number } }> {
  const { db, writer } = w.published;
  let reads = 0;
  let markerReads = 0;
  /** Names looked up: the first read of each, and whether it came after the warm-up. */
  const firstRead = new Map<string, boolean>();
  let warm = false;
  const client: Pick<DynamoDBClient, 'send'> = {
    send: ((command: unknown) => {
      if (command instanceof GetItemCommand || command instanceof BatchGetItemCommand) reads++;
      if (command instanceof GetItemCommand) {
        const key = command.input.Key?.name?.S ?? '';
        if (key === SERIAL_NAME) markerReads++;
        else if (!firstRead.has(key)) firstRead.set(key, warm);
      }
      return db.client.send(command as GetItemCommand);
    }) as DynamoDBClient['send'],
  };
  const config = edgeConfigFromEnv({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: BENCH_CLUSTER,
    EDGE_DNS_REGION: 'us-east-1',
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: w.cacheTtlSeconds,
    EDGE_DNS_CACHE_ENTRIES: w.cacheEntries,
    EDGE_DNS_SERIAL_CHECK: serialCheckSeconds,
  });
  const t0 = 1_700_000_000_000;
  let clock = t0;
  const { app, store } = edgeApp(config, client, () => clock);

  const encoded = new Map<number, string>();
  const rcodes: Record<string, number> = {};
  let readsCold = 0;
  let next = 0;
  let changes = 0;
  const one = async (i: number): Promise<void> => {
    const rank = w.sequence[i]!;
    let dns = encoded.get(rank);
    if (dns === undefined) {
      const [name, type] = w.names[rank]!.split(' ') as [string, RecordType];
      dns = Buffer.from(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] })).toString('base64url');
      encoded.set(rank, dns);
    }
    const at = (i * 1000) / w.rate;
    // The busy cluster: the sync publishes a change (and bumps the marker) every churnSeconds.
    if (churnSeconds > 0 && Math.floor(at / (churnSeconds * 1000)) > changes) {
      const n = ++changes;
      const result = await writer.apply({ put: [{ name: CHURN_NAME, sets: [{ type: 'A', ttl: 5, data: [`10.250.${(n >> 8) & 255}.${n & 255}`] }] }], delete: [] });
      if (result.failed.length > 0) throw new Error(`churn: ${result.failed[0]!.error}`);
    }
    clock = t0 + at;
    const response = await app.fetch(new Request(`https://edge-dns.test/dns-query?dns=${dns}`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/dns-message' } }));
    const body = new Uint8Array(await response.arrayBuffer());
    const rcode = response.status === 200 ? (RCODES[body[3]! & 0xf] ?? 'other') : `HTTP ${response.status}`;
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
    cache: { hits: store.hits, misses: store.misses, staleServed: store.staleServed },
    rcodes,
  };
  const firstLookups = { all: firstRead.size, warm: [...firstRead.values()].filter(Boolean).length };
  return { run, firstLookups };
}
