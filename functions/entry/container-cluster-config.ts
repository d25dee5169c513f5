// Cluster zones in the container (docs/architecture.md §6.17): more clusters beside the one of the
// `kubernetes` key, each answering its own zone from its own source. The `clusters` key, its flag
// `--cluster-zone ZONE=CLUSTER:KUBECONFIG`, and the rules across clusters: every zone stands apart
// (no zone twice, none inside another); reverse zones are shared, asked in the order configured.
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { isLiveSource } from '../../common/config/source-choice.ts';
import { ZONE_NAME, ZONE_NAME_EXPECTED, normalizeZoneName } from '../../common/config/zone-name.ts';
import { CLUSTER_ID } from '../clusters/cluster-zone-text.ts';
import { isReverseZone } from '../../sync/records/names.ts';

const zoneName = z.string().regex(ZONE_NAME, ZONE_NAME_EXPECTED).transform(normalizeZoneName);

/** One more cluster: its zones and its source (the kubernetes options are the `kubernetes` key's). */
export const clusterSchema = z
  .object({
    /** Its forward zones (the first names its PTR targets); reverse zones join the shared ones. */
    zones: z.array(zoneName).min(1),
    /** Its cluster id (the edge's, for DoH scopes) and name in log lines; default: its first zone. */
    name: z
      .string()
      .regex(CLUSTER_ID, 'expected 1-63 lowercase letters, digits and "-"')
      .optional(),
    kubeconfig: z.string().min(1).optional(),
    inCluster: z.boolean().default(false),
    snapshots: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const sources = [c.kubeconfig !== undefined, c.inCluster, c.snapshots.length > 0];
    if (sources.filter(Boolean).length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: 'expected one source: kubeconfig, inCluster or snapshots',
      });
    if (c.zones.every(isReverseZone))
      ctx.addIssue({
        code: 'custom',
        path: ['zones'],
        message: 'needs a forward zone (its names, and the PTR targets)',
      });
  });

export type ClusterConfig = z.output<typeof clusterSchema>;

export const clustersSchema = z.array(clusterSchema).default([]);

/** `--cluster-zone ZONE=CLUSTER:KUBECONFIG`: one cluster watched through its kubeconfig. */
function clusterZone(text: string): { zones: string[]; name: string; kubeconfig: string } {
  const eq = text.indexOf('=');
  const colon = text.indexOf(':', eq);
  const [zone, name, file] = [text.slice(0, eq), text.slice(eq + 1, colon), text.slice(colon + 1)];
  if (eq < 1 || colon < 0 || !ZONE_NAME.test(zone) || !CLUSTER_ID.test(name) || file === '')
    throw new Error(
      `expected ZONE=CLUSTER:KUBECONFIG, e.g. east.k8s.example.com=east:/etc/east.kubeconfig, got "${text}"`,
    );
  return { zones: [zone], name, kubeconfig: file };
}

export const clusterZoneFlag: FlagRow = {
  flag: 'cluster-zone',
  value: 'ZONE=CLUSTER:KUBECONFIG',
  key: 'clusters',
  type: clusterZone,
  repeat: true,
  default: 'none',
  coredns: 'a server block ZONE { kubernetes { kubeconfig FILE } } per cluster',
  help: 'one more cluster, watched through KUBECONFIG, answering ZONE (docs/architecture.md §6.17)',
};

/** The `kubernetes` key's part of the rules: its zones, and whether it has a source of its own. */
export interface OwnCluster {
  kubernetes: { zones: string[]; inCluster: boolean; kubeconfig?: string | undefined };
  snapshots: string[];
}

/** Whether the `kubernetes` key is a cluster served beside `clusters` (it has a source), or only
 *  the shared options (and reverse zones) of the clusters. */
export const ownClusterServed = (c: OwnCluster & { clusters: unknown[] }): boolean =>
  c.clusters.length === 0 || isLiveSource(c.kubernetes) || c.snapshots.length > 0;

/**
 * Zones claimed twice, or one inside another, across the clusters: `[index, zone index, message]`
 * (index -1: the `kubernetes` key). Reverse zones are shared and not compared.
 */
export function clusterZoneProblems(
  c: OwnCluster & { clusters: Pick<ClusterConfig, 'zones'>[] },
): [number, number, string][] {
  const claimed: { at: number; zone: string }[] = [];
  const own = ownClusterServed(c) ? c.kubernetes.zones : [];
  const owners: [number, string[]][] = [
    [-1, own],
    ...c.clusters.map((x, i) => [i, x.zones] as [number, string[]]),
  ];
  const problems: [number, number, string][] = [];
  for (const [at, zones] of owners)
    zones.forEach((zone, j) => {
      if (isReverseZone(zone)) return;
      const other = claimed.find(
        (o) => o.zone === zone || zone.endsWith(`.${o.zone}`) || o.zone.endsWith(`.${zone}`),
      );
      const whose = (i: number) => (i < 0 ? 'the kubernetes key' : `clusters[${i}]`);
      if (other)
        problems.push([
          at,
          j,
          other.zone === zone
            ? `${zone} has two sources (also ${whose(other.at)}): each zone answers from one cluster`
            : `${zone} and ${other.zone} (${whose(other.at)}) overlap: each cluster zone must stand apart`,
        ]);
      claimed.push({ at, zone });
    });
  return problems;
}

/** The schema refinement of the container's configuration (container-config.ts). */
export function refineClusters(
  c: OwnCluster & {
    kubernetes: { external?: unknown; multicluster?: unknown };
    clusters: ClusterConfig[];
  },
  ctx: z.RefinementCtx,
): void {
  // k8s_external and multicluster names are built by the kubernetes key's own cluster.
  for (const key of ['external', 'multicluster'] as const)
    if (c.kubernetes[key] !== undefined && !ownClusterServed(c))
      ctx.addIssue({
        code: 'custom',
        path: key === 'external' ? ['kubernetes', key, 'zones'] : ['kubernetes', key],
        message:
          "built from the kubernetes key's own cluster, which has no source here (snapshots, kubeconfig or inCluster)",
      });
  for (const [at, j, message] of clusterZoneProblems(c))
    ctx.addIssue({
      code: 'custom',
      path: at < 0 ? ['kubernetes', 'zones', j] : ['clusters', at, 'zones', j],
      message,
    });
}
