// PTR records as CoreDNS reverse.go serviceRecordForIP answers them: a cluster IP names its
// Service (one, and only one); an address no cluster IP claims names every ready endpoint that
// holds it. Targets are in the primary zone (the first forward zone).
import type { EndpointSlice, Service } from '../kube/objects.ts';
import { serviceNameLabel } from '../kube/objects.ts';
import { endpointHostname, isReady } from './endpoints.ts';
import { parseIp, reverseName } from './ip.ts';
import { isReverseZone, join, owningZone, serviceName } from './names.ts';
import type { RecordSets } from './record-sets.ts';
import { clusterIPs } from './service.ts';

export interface PtrContext {
  out: RecordSets;
  ttl: number;
  /** The first forward zone (CoreDNS primaryZone()). */
  primaryZone: string;
  /** All configured zones; a PTR is made only where a reverse zone owns its name. */
  zones: readonly string[];
  /** reverse.go filters namespaces only when `namespaces` is configured. */
  exposed: (namespace: string) => boolean;
  endpointPodNames: boolean;
}

function compareServices(a: Service, b: Service): number {
  const x = `${a.metadata.namespace}/${a.metadata.name}`;
  const y = `${b.metadata.namespace}/${b.metadata.name}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Adds every PTR record for `services` and `slices`. */
export function addPtrRecords(
  ctx: PtrContext,
  services: readonly Service[],
  slices: readonly EndpointSlice[],
): void {
  const inReverseZone = (owner: string): boolean => {
    const z = owningZone(owner, ctx.zones);
    return z !== undefined && isReverseZone(z);
  };
  // Cluster IPs first. CoreDNS returns the first Service the IP index yields (map order); two
  // Services cannot share a cluster IP in a real cluster, so we pick the lowest namespace/name.
  const claimed = new Set<string>();
  for (const svc of [...services].sort(compareServices)) {
    if (!ctx.exposed(svc.metadata.namespace)) continue;
    for (const raw of clusterIPs(svc)) {
      const ip = parseIp(raw);
      if (!ip) continue;
      const owner = reverseName(ip);
      if (claimed.has(owner)) continue;
      claimed.add(owner);
      if (!inReverseZone(owner)) continue;
      ctx.out.add(
        owner,
        'PTR',
        ctx.ttl,
        serviceName(svc.metadata.name, svc.metadata.namespace, ctx.primaryZone),
      );
    }
  }
  // Then endpoints: every ready address of every slice (whatever its Service), by the slice's label.
  for (const slice of slices) {
    const svc = slice.metadata.labels?.[serviceNameLabel];
    if (!svc || slice.addressType === 'FQDN' || !ctx.exposed(slice.metadata.namespace)) continue;
    for (const e of slice.endpoints) {
      if (!isReady(e)) continue;
      for (const raw of e.addresses) {
        const ip = parseIp(raw);
        if (!ip) continue;
        const owner = reverseName(ip);
        if (claimed.has(owner) || !inReverseZone(owner)) continue;
        const host = endpointHostname(e, ip, ctx.endpointPodNames);
        ctx.out.add(
          owner,
          'PTR',
          ctx.ttl,
          join(host, serviceName(svc, slice.metadata.namespace, ctx.primaryZone)),
        );
      }
    }
  }
}
