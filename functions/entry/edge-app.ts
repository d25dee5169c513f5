// The DoH app as the edge entries serve it (functions/entry/lambda.ts, workers.ts): DynamoDB ->
// the per-instance cache (serial-validated unless EDGE_DNS_SERIAL_CHECK=0) -> the core resolver ->
// the hono app, closed unless configured public.
import type { Hono } from 'hono';
import { resolve, type ResolverContext } from '../core/resolver.ts';
import { externalZone, kubernetesZone } from '../core/zone.ts';
import type { EdgeConfig } from './edge-config.ts';
import type { CachedStore } from '../store/cached.ts';
import { edgeClusterStore, edgeClustersetStore } from './edge-cluster-store.ts';
import { clusterZoneBlocks } from './edge-cluster-zones.ts';
import type { Next } from '../core/plugin.ts';
import type { DynamoDbReads } from '../store/dynamodb/reads.ts';
import { dohApp } from '../doh/app.ts';
import { edgeForwarder } from './edge-forwarder.ts';
import { edgeZoneBlocks } from './edge-zones.ts';
import { applyEdgeCorefile } from './edge-corefile-blocks.ts';
import { answerQuestion } from '../core/answer.ts';
import { withMetricLines, type EdgeMetricsOptions } from './edge-metrics.ts';
import { withDeadline } from '../doh/answer-deadline.ts';
import { edgeBudgets } from './edge-deadline.ts';
import { edgeDohAuth } from './edge-doh-auth.ts';
import { withClientAddress, withClientZoneOrder } from './edge-client-zones-order.ts';

/** One per instance (Lambda) or isolate (Workers): the cache lives as long as it does. Metric
 *  lines (edge-metrics.ts) only with `metrics`: the entries pass their runtime's default. */
export function edgeApp(
  config: EdgeConfig,
  client: DynamoDbReads,
  now: () => number = Date.now,
  metrics?: EdgeMetricsOptions,
): { app: Hono; store: CachedStore } {
  // One cached store per cluster read: the edge's own, and each cluster zone's.
  const stores = new Map<string, CachedStore>();
  const storeFor = (cluster: string) => {
    let s = stores.get(cluster);
    if (!s) stores.set(cluster, (s = edgeClusterStore(config, client, cluster, now)));
    return s;
  };
  const store = storeFor(config.cluster);
  const k8s = config.kubernetes;
  // No answerCache: CachedStore refreshes on lookups, which an AnswerCache would skip (cached.ts).
  // Names outside the zones: the DoH upstreams of EDGE_DNS_FORWARD, or REFUSED
  // (docs/architecture.md §6.12).
  // Every wait inside the request's deadline (docs/architecture.md §5.7): the reads' share is the
  // entry's (http-reads.ts), the upstreams' is here.
  const budgets = edgeBudgets(config.deadlineMs);
  const forward = edgeForwarder(config.forward, now, undefined, budgets.forward);
  const ctx: ResolverContext = {
    store,
    // Without EDGE_DNS_CLUSTER the cluster domain is served only through the cluster zones.
    zones: config.ownDomain
      ? k8s.zones.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses))
      : [],
    ...(forward && { forward }),
  };
  // k8s_external zones: the same items, under their own apex SOA/NS (docs/architecture.md §6.18).
  const ext = config.external;
  if (ext)
    ctx.zones = [
      ...ctx.zones,
      ...ext.zones.map((z) => externalZone(z, ext.ttl, ext.apex, k8s.nsAddresses)),
    ];
  // The sync's `hosts` and `file` sources, before the Kubernetes names (edge-zones.ts).
  const own: Next = (q) => answerQuestion(q.name, q.type, ctx, q.flags);
  if (config.fileHosts) ctx.blocks = edgeZoneBlocks(store, own);
  // Cluster zones (edge-cluster-zones.ts) in front of the edge's own chain.
  if (config.clusterZones) {
    const rest = ctx.blocks?.[0]?.next ?? own;
    ctx.blocks = clusterZoneBlocks({
      clusterZones: config.clusterZones,
      kubernetes: k8s,
      storeFor,
      ...(config.ownDomain && { own: config.cluster }),
      ...(config.clustersetZone && {
        clusterset: {
          zone: config.clustersetZone,
          store: edgeClustersetStore(
            config,
            client,
            [
              ...new Set([
                ...(config.ownDomain ? [config.cluster] : []),
                ...config.clusterZones.map((c) => c.cluster),
              ]),
            ],
            now,
          ),
        },
      }),
      rest,
    });
  }
  // An edge Corefile (EDGE_DNS_COREFILE or bundled): its server blocks in front of these.
  if (config.corefile) applyEdgeCorefile(ctx, config.corefile, now, budgets.forward);
  const wire = (query: Uint8Array, c: ResolverContext) => resolve(query, 'https', c);
  // Headless answers ordered by the client's topology zone (edge-client-zones-order.ts, §6.21).
  const clientZones = config.clientZones;
  const answer = withMetricLines(
    withDeadline(clientZones ? withClientZoneOrder(wire, clientZones) : wire, config.deadlineMs),
    store,
    config,
    metrics,
    now,
  );
  // Tokens, JWT scopes and budgets per token (edge-doh-auth.ts, docs/architecture.md §6.19).
  const app = dohApp({
    resolve: (query, env) => answer(query, clientZones ? withClientAddress(ctx, env) : ctx),
    auth: edgeDohAuth(config),
    now,
  });
  return { app, store };
}
