// The DoH app as the edge entries serve it (functions/entry/lambda.ts, workers.ts): DynamoDB ->
// the per-instance cache (serial-validated unless EDGE_DNS_SERIAL_CHECK=0) -> the core resolver ->
// the hono app, closed unless configured public.
import type { Hono } from 'hono';
import { resolve, type ResolverContext } from '../core/resolver.ts';
import { kubernetesZone } from '../core/zone.ts';
import type { EdgeConfig } from './edge-config.ts';
import { CachedStore } from '../store/cached.ts';
import { DynamoDbStore } from '../store/dynamodb/reader.ts';
import type { DynamoDbReads } from '../store/dynamodb/reads.ts';
import { dohApp } from '../doh/app.ts';
import { edgeForwarder } from './edge-forwarder.ts';
import { edgeZoneBlocks } from './edge-zones.ts';
import { applyEdgeCorefile } from './edge-corefile-blocks.ts';
import { answerQuestion } from '../core/answer.ts';
import { withMetricLines, type EdgeMetricsOptions } from './edge-metrics.ts';

/** One per instance (Lambda) or isolate (Workers): the cache lives as long as it does. Metric
 *  lines (edge-metrics.ts) only with `metrics`: the entries pass their runtime's default. */
export function edgeApp(
  config: EdgeConfig,
  client: DynamoDbReads,
  now: () => number = Date.now,
  metrics?: EdgeMetricsOptions,
): { app: Hono; store: CachedStore } {
  const dynamo = new DynamoDbStore({ client, table: config.table, cluster: config.cluster });
  const { ttlSeconds, maxEntries, serialCheckSeconds } = config.cache;
  const store = new CachedStore(dynamo, {
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
  const k8s = config.kubernetes;
  // No answerCache: CachedStore refreshes on lookups, which an AnswerCache would skip (cached.ts).
  // Names outside the zones: the DoH upstreams of EDGE_DNS_FORWARD, or REFUSED
  // (docs/architecture.md §6.12).
  const forward = edgeForwarder(config.forward, now);
  const ctx: ResolverContext = {
    store,
    zones: k8s.zones.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses)),
    ...(forward && { forward }),
  };
  // The sync's `hosts` and `file` sources, before the Kubernetes names (edge-zones.ts).
  if (config.fileHosts)
    ctx.blocks = edgeZoneBlocks(store, (q) => answerQuestion(q.name, q.type, ctx, q.flags));
  // An edge Corefile (EDGE_DNS_COREFILE or bundled): its server blocks in front of these.
  if (config.corefile) applyEdgeCorefile(ctx, config.corefile, now);
  const answer = withMetricLines(
    (query, c) => resolve(query, 'https', c),
    store,
    config,
    metrics,
    now,
  );
  const app = dohApp({ resolve: (query) => answer(query, ctx), auth: config.auth });
  return { app, store };
}
