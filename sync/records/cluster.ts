// Kubernetes objects -> the NameNodes CoreDNS's `kubernetes` plugin would answer for, keyed by
// canonical owner name. Pure: no I/O, no clock. See README.md "CoreDNS parity".
import type { NameNode } from '../../functions/core/record.ts';
import type { ClusterObjects } from '../kube/objects.ts';
import { readyAddresses, serviceKey, slicesByService } from './endpoints.ts';
import { isReverseZone, join, owningZone, podNamespaceName } from './names.ts';
import { validateBuildOptions, type BuildOptions } from './options.ts';
import { addVerifiedPods } from './pods.ts';
import { addPtrRecords } from './ptr.ts';
import { RecordSets } from './record-sets.ts';
import { addService } from './service.ts';
import { exposedObjects } from './exposure.ts';
import { addMulticlusterZone, multiclusterInput } from './multicluster.ts';
import { addExternalZone } from './external.ts';
import { addExportZone, exportedInput } from './exported.ts';

export type { ClusterObjects };

/** Kubernetes DNS spec 2.2; CoreDNS answers it with TTL 28800 whatever `ttl` says. */
const dnsSchemaVersion = '1.1.0';
const dnsVersionTtl = 28800;

/**
 * Namespaces CoreDNS would expose: Namespace objects (namespaceExposed needs the object) plus
 * namespaces holding Services or ServiceImports (a snapshot may lack Namespace objects; a live
 * cluster always has them), narrowed by `namespaces` when set.
 */
function exposedNamespaces(objects: ClusterObjects, options: BuildOptions): Set<string> {
  const all = new Set([
    ...objects.namespaces.map((n) => n.metadata.name),
    ...objects.services.map((s) => s.metadata.namespace),
    ...(objects.serviceImports ?? []).map((s) => s.metadata.namespace),
  ]);
  if (options.namespaces.length === 0) return all;
  const allowed = new Set(options.namespaces);
  return new Set([...all].filter((n) => allowed.has(n)));
}

export function buildCluster(
  objects: ClusterObjects,
  options: BuildOptions,
): Map<string, NameNode> {
  const problems = validateBuildOptions(options);
  if (problems.length > 0) throw new Error(`invalid build options: ${problems.join('; ')}`);
  const { zones, ttl } = options;
  // Namespaces from every Service, chosen or not: the selection hides Services, not namespaces.
  const exposedSet = exposedNamespaces(objects, options);
  const imports = options.multicluster?.length ? multiclusterInput(objects, options) : undefined;
  objects = exposedObjects(objects, options);
  const exposed = (ns: string): boolean => exposedSet.has(ns);
  const forwardZones = zones.filter((z) => !isReverseZone(z));
  const bySlices = slicesByService(objects.endpointSlices);
  const addresses = new Map(
    objects.services.map((s) => {
      const key = serviceKey(s.metadata.namespace, s.metadata.name);
      return [
        key,
        readyAddresses(
          bySlices.get(key) ?? [],
          options.endpointPodNames,
          s.spec.publishNotReadyAddresses ?? false,
        ),
      ] as const;
    }),
  );
  const parts: Map<string, NameNode>[] = [];
  const external = options.external;
  // A name belongs to the longest zone holding it, kubernetes or external (plugin.Zones.Matches).
  const allZones = [
    ...zones,
    ...(external?.zones ?? []),
    ...(options.export ? [options.export.zone] : []),
  ];
  const ownedBy = (zone: string) => (name: string) => owningZone(name, allZones) === zone;

  for (const zone of zones) {
    const out = new RecordSets(ownedBy(zone));
    // CoreDNS answers the dns-version TXT before looking at the zone kind, reverse zones included.
    out.add(join('dns-version', zone), 'TXT', dnsVersionTtl, [dnsSchemaVersion]);
    // A multicluster zone answers ServiceImports in place of Services (multicluster.ts).
    const mc = options.multicluster?.includes(zone) ? imports : undefined;
    if (!isReverseZone(zone)) {
      const own = mc ? { ...objects, services: [] } : objects;
      buildForwardZone(out, zone, own, options, exposed, exposedSet, addresses);
    }
    if (mc) {
      const ctx = { out, zone, ttl, ignoreEmptyService: options.ignoreEmptyService };
      addMulticlusterZone(ctx, mc, exposed, options.endpointPodNames);
    }
    parts.push(out.finish());
  }
  for (const zone of external?.zones ?? []) {
    const out = new RecordSets(ownedBy(zone));
    addExternalZone(out, zone, external!, objects.services, exposedSet);
    parts.push(out.finish());
  }

  if (options.export) {
    const { zone, cluster } = options.export;
    const out = new RecordSets(ownedBy(zone));
    const ctx = { out, zone, ttl, ignoreEmptyService: options.ignoreEmptyService };
    addExportZone(ctx, exportedInput(objects, cluster, exposed), exposed, options.endpointPodNames);
    parts.push(out.finish());
  }

  const primaryZone = forwardZones[0] ?? '';
  const ptr = new RecordSets((name) => {
    const z = owningZone(name, zones);
    return z !== undefined && isReverseZone(z);
  });
  const ptrExposed = options.namespaces.length === 0 ? () => true : exposed;
  addPtrRecords(
    {
      out: ptr,
      ttl,
      primaryZone,
      zones,
      exposed: ptrExposed,
      endpointPodNames: options.endpointPodNames,
    },
    objects.services,
    objects.endpointSlices,
  );
  parts.push(ptr.finish());

  const merged = new Map<string, NameNode>();
  for (const part of parts) for (const [name, node] of part) merged.set(name, node);
  return new Map([...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function buildForwardZone(
  out: RecordSets,
  zone: string,
  objects: ClusterObjects,
  options: BuildOptions,
  exposed: (ns: string) => boolean,
  exposedSet: ReadonlySet<string>,
  addresses: ReadonlyMap<string, ReturnType<typeof readyAddresses>>,
): void {
  // parseRequest: `svc.<zone>` and `pod.<zone>` answer NODATA, pods disabled or not.
  out.touch(join('svc', zone));
  out.touch(join('pod', zone));
  for (const ns of exposedSet) {
    out.touch(join(ns, 'svc', zone)); // findServices: empty service name -> NODATA
    // findPods: `pods disabled` -> NXDOMAIN; otherwise an empty pod name -> NODATA.
    if (options.pods === 'insecure') out.synth(podNamespaceName(ns, zone), 'dashed-ip');
    else if (options.pods === 'verified') out.touch(podNamespaceName(ns, zone));
  }
  const ctx = {
    out,
    zone,
    ttl: options.ttl,
    ignoreEmptyService: options.ignoreEmptyService,
    zonal: options.zonal === true,
  };
  for (const svc of objects.services) {
    if (!exposed(svc.metadata.namespace)) continue;
    addService(
      ctx,
      svc,
      addresses.get(serviceKey(svc.metadata.namespace, svc.metadata.name)) ?? [],
    );
  }
  if (options.pods === 'verified') addVerifiedPods(out, objects.pods, exposed, zone, options.ttl);
}
