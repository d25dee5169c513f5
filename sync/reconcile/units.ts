// Units of incremental build: the smallest groups of objects whose records can be built alone.
// A Service and its EndpointSlices (joined by the kubernetes.io/service-name label) make one unit;
// a Namespace, a Pod and the zone-wide names make one each.
import type {
  ClusterObjects,
  EndpointSlice,
  Namespace,
  ObjectKind,
  Pod,
  Service,
} from '../kube/objects.ts';
import { serviceNameLabel } from '../kube/objects.ts';

/** `zone` | `ns:<ns>` | `svc:<ns>/<service>` | `pod:<ns>/<pod>`. Sorted keys order services as
 *  ptr.ts does (namespace/name), which decides who claims a shared cluster IP. */
export type UnitKey = string;

export const zoneUnit: UnitKey = 'zone';

export function namespaceUnit(ns: string): UnitKey {
  return `ns:${ns}`;
}

export function serviceUnit(ns: string, service: string): UnitKey {
  return `svc:${ns}/${service}`;
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

/** The unit an object of `kind` belongs to. */
export function unitOf(
  kind: ObjectKind,
  obj: Namespace | Service | EndpointSlice | Pod,
): UnitKey | undefined {
  switch (kind) {
    case 'Namespace':
      return namespaceUnit(obj.metadata.name);
    case 'Service': {
      const s = obj as Service;
      return serviceUnit(s.metadata.namespace, s.metadata.name);
    }
    case 'EndpointSlice':
      return sliceUnit(obj as EndpointSlice);
    case 'Pod': {
      const p = obj as Pod;
      return podUnit(`${p.metadata.namespace}/${p.metadata.name}`);
    }
  }
}

export function emptyObjects(): ClusterObjects {
  return { namespaces: [], services: [], endpointSlices: [], pods: [] };
}
