// `ZONE=CLUSTER` (EDGE_DNS_CLUSTER_ZONES, the container's --cluster-zone): a zone clients ask under
// and the cluster id whose names it answers (docs/architecture.md §6.17).
import { ZONE_NAME, ZONE_NAME_EXPECTED, normalizeZoneName } from '../../common/config/zone-name.ts';
import type { ClusterZone } from './cluster-zone.ts';

/** A cluster id as the sync's --cluster-id takes it: a DNS label. */
export const CLUSTER_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The mapping, or the message saying what is wrong with it (never repeating a secret: none here). */
export function parseClusterZone(text: string): ClusterZone | string {
  const at = text.lastIndexOf('=');
  if (at < 0) return 'expected ZONE=CLUSTER, such as east.k8s.example.com=east';
  const zone = text.slice(0, at).trim();
  const cluster = text.slice(at + 1).trim();
  if (!ZONE_NAME.test(zone) || zone === '') return `${ZONE_NAME_EXPECTED} before "="`;
  if (!CLUSTER_ID.test(cluster))
    return 'expected a cluster id after "=": 1-63 lowercase letters, digits and "-"';
  return { zone: normalizeZoneName(zone), cluster };
}

/** Two mappings for one zone, or a zone inside another: which cluster answers would be unclear. */
export function overlappingZones(zones: readonly ClusterZone[]): string | undefined {
  for (const [i, a] of zones.entries())
    for (const b of zones.slice(i + 1))
      if (a.zone === b.zone || a.zone.endsWith(`.${b.zone}`) || b.zone.endsWith(`.${a.zone}`))
        return `${a.zone} and ${b.zone} overlap: each cluster zone must stand apart`;
  return undefined;
}
