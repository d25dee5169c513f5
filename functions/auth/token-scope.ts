// What a DoH token may see (docs/architecture.md §6.19): the `zones`, `namespaces` and `clusters`
// claims of a JWT, checked against the question name before the resolver runs. A claim that is
// absent does not restrict; an empty list allows nothing. Pure: no clock, no I/O.

export interface TokenScope {
  /** Names at or under these zones (canonical: lowercase, no trailing dot). */
  zones?: readonly string[];
  /** Kubernetes namespaces: `<ns>.svc.<zone>`, `<ns>.pod.<zone>` and every name under them. */
  namespaces?: readonly string[];
  /** Cluster ids (the sync's --cluster-id) whose records the token may read. */
  clusters?: readonly string[];
}

export interface ScopeContext {
  /** The Kubernetes zones served (cluster domains and cluster zones): where `svc` and `pod`
   *  labels name namespaces. Canonical. */
  kubernetesZones: readonly string[];
  /** k8s_external zones: `<svc>.<ns>.<zone>` names a namespace there. Canonical. */
  externalZones?: readonly string[];
  /** The cluster whose records answer `name`; undefined when none is known. */
  clusterOf(name: string): string | undefined;
}

/** Where a question falls outside a scope, or undefined when it is inside. */
export type OutOfScope = 'zone' | 'namespace' | 'cluster' | 'reverse';

const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa'];

/** Whether canonical `name` is `zone` or under it (whole labels). */
export function underZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/**
 * Checks canonical `name` (lowercase, no trailing dot) against `scope`. Reverse names (PTR)
 * reveal names in every namespace, so a token restricted to namespaces never gets them; without
 * that restriction they follow `zones` like any name.
 */
export function outOfScope(
  scope: TokenScope,
  name: string,
  ctx: ScopeContext,
): OutOfScope | undefined {
  if (scope.zones && !scope.zones.some((z) => underZone(name, z))) return 'zone';
  if (scope.clusters) {
    const cluster = ctx.clusterOf(name);
    if (cluster === undefined || !scope.clusters.includes(cluster)) return 'cluster';
  }
  if (scope.namespaces) {
    if (REVERSE_ZONES.some((z) => underZone(name, z))) return 'reverse';
    const ns =
      namespaceOf(name, ctx.kubernetesZones) ?? externalNamespaceOf(name, ctx.externalZones);
    if (ns !== undefined && !scope.namespaces.includes(ns)) return 'namespace';
  }
  return undefined;
}

/** The namespace label of `<svc>.<ns>.<zone>` (and below) in a k8s_external zone. */
export function externalNamespaceOf(
  name: string,
  zones: readonly string[] = [],
): string | undefined {
  const zone = longestZone(name, zones);
  if (zone === undefined || name === zone) return undefined;
  const labels = name.slice(0, name.length - zone.length - 1).split('.');
  return labels[labels.length - 1];
}

function longestZone(name: string, zones: readonly string[]): string | undefined {
  let zone: string | undefined;
  for (const z of zones)
    if (underZone(name, z) && (zone === undefined || z.length > zone.length)) zone = z;
  return zone;
}

/** The namespace label of `<...>.<ns>.(svc|pod).<zone>`, for the longest matching zone. */
export function namespaceOf(name: string, zones: readonly string[]): string | undefined {
  const zone = longestZone(name, zones);
  if (zone === undefined || name === zone) return undefined;
  const labels = name
    .slice(0, zone === '' ? name.length : name.length - zone.length - 1)
    .split('.');
  const kind = labels[labels.length - 1];
  return (kind === 'svc' || kind === 'pod') && labels.length >= 2
    ? labels[labels.length - 2]
    : undefined;
}
