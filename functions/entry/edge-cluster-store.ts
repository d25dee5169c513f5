// One cluster's items as the edge reads them: DynamoDB (a GetItem on name + cluster) behind the
// per-instance cache, serial-validated unless EDGE_DNS_SERIAL_CHECK=0 (docs/architecture.md §5.5).
// One per cluster: each has its own change counter and change log (edge-cluster-zones.ts); the
// clusterset zone's store reads them all.
import type { EdgeConfig } from './edge-config.ts';
import { CachedStore } from '../store/cached.ts';
import { DynamoDbStore } from '../store/dynamodb/reader.ts';
import type { DynamoDbReads } from '../store/dynamodb/reads.ts';
import { DynamoDbQueryReader } from '../store/dynamodb/query-reader.ts';
import { ClustersetStore } from '../clusters/clusterset-store.ts';
import { clustersetSerial } from '../clusters/clusterset-serial.ts';

export function edgeClusterStore(
  config: Pick<EdgeConfig, 'table' | 'cache'>,
  client: DynamoDbReads,
  cluster: string,
  now: () => number,
): CachedStore {
  const dynamo = new DynamoDbStore({ client, table: config.table, cluster });
  const { ttlSeconds, maxEntries, serialCheckSeconds } = config.cache;
  return new CachedStore(dynamo, {
    ttlMs: ttlSeconds * 1000,
    maxEntries,
    now,
    // The sync's change counter and change log: names stay cached while nothing changed them, and
    // a change shows within about one check (functions/store/serial-watch.ts).
    ...(serialCheckSeconds > 0 && {
      serial: {
        read: () => dynamo.readSerial(),
        changes: (after: number, upTo: number) => dynamo.readChanges(after, upTo),
        checkMs: serialCheckSeconds * 1000,
      },
    }),
  });
}

/**
 * The clusterset zone's items (docs/architecture.md §5.8): one Query per name over `clusters`
 * (EDGE_DNS_CLUSTER first, then EDGE_DNS_CLUSTER_ZONES's), merged, behind one cache whose entries
 * a change in any of those clusters revalidates (clusterset-serial.ts).
 */
export function edgeClustersetStore(
  config: Pick<EdgeConfig, 'table' | 'cache'>,
  client: DynamoDbReads,
  clusters: readonly string[],
  now: () => number,
): CachedStore {
  const reads = new DynamoDbQueryReader({ client, table: config.table, clusters });
  const { ttlSeconds, maxEntries, serialCheckSeconds } = config.cache;
  return new CachedStore(new ClustersetStore(reads), {
    ttlMs: ttlSeconds * 1000,
    maxEntries,
    now,
    ...(serialCheckSeconds > 0 && { serial: clustersetSerial(reads, serialCheckSeconds * 1000) }),
  });
}
