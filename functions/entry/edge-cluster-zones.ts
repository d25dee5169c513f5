// Cluster zones at the edge (docs/architecture.md §6.17): one endpoint for every cluster that
// writes the table. Each zone of EDGE_DNS_CLUSTER_ZONES is a server block answering from its
// cluster's items (a GetItem on name + cluster, through that cluster's own cache and change log);
// reverse names ask the clusters in the order listed; the rest goes where it went before: the
// edge's own cluster (EDGE_DNS_CLUSTER) when set, the forwarder, or REFUSED. The clusterset zone
// (EDGE_DNS_CLUSTERSET_ZONE) answers the exported Services from its own store (§5.8).
import { answerQuestion } from '../core/answer.ts';
import type { Next } from '../core/plugin.ts';
import type { ServerBlockChain } from '../core/server-blocks.ts';
import type { Store } from '../core/store.ts';
import { isInZone, kubernetesZone } from '../core/zone.ts';
import { clusterZoneNext, type ClusterZone } from '../clusters/cluster-zone.ts';
import { reverseClustersNext, type ReverseCluster } from '../clusters/reverse-clusters.ts';

const REVERSE = ['in-addr.arpa', 'ip6.arpa'];

export interface ClusterZonesOptions {
  clusterZones: readonly ClusterZone[];
  /** EDGE_DNS_ZONES: the clusters' own domain (the first forward zone) and reverse zones. */
  kubernetes: { zones: readonly string[]; ttl: number; nsAddresses: string[] };
  /** The cached store of a cluster id (one per cluster, made once). */
  storeFor: (cluster: string) => Store;
  /** The edge's own cluster, when EDGE_DNS_CLUSTER is set: its domain and reverse names first. */
  own?: string;
  /** EDGE_DNS_CLUSTERSET_ZONE and its store: the exported Services of the clusters behind the
   *  edge, merged (edge-cluster-store.ts `edgeClustersetStore`). */
  clusterset?: { zone: string; store: Store };
  /** Everything outside the cluster zones and reverse zones (the edge's own chain). */
  rest: Next;
}

/** The blocks in front of the edge's own chain. */
export function clusterZoneBlocks(o: ClusterZonesOptions): ServerBlockChain[] {
  const domain = o.kubernetes.zones.find((z) => !REVERSE.some((r) => isInZone(z, r)));
  if (domain === undefined) throw new Error('EDGE_DNS_ZONES has no forward zone for cluster zones');
  const zones = o.kubernetes.zones.map((z) =>
    kubernetesZone(z, o.kubernetes.ttl, o.kubernetes.nsAddresses),
  );
  const answers = new Map<string, Next>();
  const answerOf = (cluster: string): Next => {
    let next = answers.get(cluster);
    if (!next) {
      const ctx = { store: o.storeFor(cluster), zones };
      next = (q) => answerQuestion(q.name, q.type, ctx, q.flags);
      answers.set(cluster, next);
    }
    return next;
  };
  const reverse: ReverseCluster[] = [
    ...(o.own ? [{ zone: domain, domain, answer: answerOf(o.own) }] : []),
    ...o.clusterZones.map((c) => ({ zone: c.zone, domain, answer: answerOf(c.cluster) })),
  ];
  const reverseZones = o.kubernetes.zones.filter((z) => REVERSE.some((r) => isInZone(z, r)));
  // The clusterset's names are published under its zone (docs/architecture.md §5.8): asked as
  // they are, with the zone's own SOA/NS.
  const set = o.clusterset && {
    store: o.clusterset.store,
    zones: [kubernetesZone(o.clusterset.zone, o.kubernetes.ttl, o.kubernetes.nsAddresses)],
  };
  return [
    ...(set && o.clusterset
      ? [
          {
            zones: [o.clusterset.zone],
            next: (q: Parameters<Next>[0]) => answerQuestion(q.name, q.type, set, q.flags),
          },
        ]
      : []),
    ...o.clusterZones.map((c) => ({
      zones: [c.zone],
      next: clusterZoneNext(c.zone, domain, answerOf(c.cluster)),
    })),
    ...(reverseZones.length > 0
      ? [{ zones: reverseZones, next: reverseClustersNext(reverse) }]
      : []),
    { zones: [''], next: o.rest },
  ];
}
