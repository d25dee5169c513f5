// Units of incremental build: the smallest groups of objects whose records can be built alone.
// A Service, its EndpointSlices (joined by the kubernetes.io/service-name label) and its
// ServiceExport make one unit; a ServiceImport and its multicluster EndpointSlices
// (multicluster.kubernetes.io/service-name) another; a Namespace, a Pod and the zone-wide names
// make one each.
import type { ClusterObjects, EndpointSlice } from '../kube/objects.ts';
import { multiclusterServiceLabel, serviceNameLabel } from '../kube/objects.ts';

/** `zone` | `ns:<ns>` | `svc:<ns>/<service>` | `mcs:<ns>/<import>` | `pod:<ns>/<pod>`. Sorted keys order services as
 *  ptr.ts does (namespace/name), which decides who claims a shared cluster IP. */
export type UnitKey = string;

export const zoneUnit: UnitKey = 'zone';

export function namespaceUnit(ns: string): UnitKey {
  return `ns:${ns}`;
}

export function serviceUnit(ns: string, service: string): UnitKey {
  return `svc:${ns}/${service}`;
}

export function importUnit(ns: string, name: string): UnitKey {
  return `mcs:${ns}/${name}`;
}

export function podUnit(key: string): UnitKey {
  return `pod:${key}`;
}

/** The namespace a unit lives in; undefined for the zone unit. */
export function unitNamespace(unit: UnitKey): string | undefined {
  if (unit === zoneUnit) return undefined;
  const rest = unit.slice(unit.indexOf(':') + 1);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** The service unit a slice belongs to; undefined for a slice without the label (CoreDNS can
 *  never match it to a Service). */
export function sliceUnit(slice: EndpointSlice): UnitKey | undefined {
  const svc = slice.metadata.labels?.[serviceNameLabel];
  return svc ? serviceUnit(slice.metadata.namespace, svc) : undefined;
}

/** The ServiceImport unit a multicluster slice belongs to; undefined without the label. */
export function multiclusterSliceUnit(slice: EndpointSlice): UnitKey | undefined {
  const name = slice.metadata.labels?.[multiclusterServiceLabel];
  return name ? importUnit(slice.metadata.namespace, name) : undefined;
}

export function emptyObjects(): ClusterObjects {
  return { namespaces: [], services: [], endpointSlices: [], pods: [] };
}
