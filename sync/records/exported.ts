// The clusterset names of the Services this cluster exports (docs/architecture.md §5.8; KEP-1645):
// with an export zone, each Service that has a ServiceExport of the same namespace and name
// (multicluster.x-k8s.io/v1alpha1) is published as the ServiceImport an MCS controller would make
// of this cluster alone: `<svc>.<ns>.svc.<zone>` with the ClusterIPs (ClusterSetIP) or the ready
// endpoint addresses (Headless), SRV per port, and `<hostname>.<clusterid>.<svc>.<ns>.svc.<zone>`
// per endpoint, built by multicluster.ts. The items are keyed by this cluster's id like any other,
// and the edge merges the exporting clusters' items of a name (functions/clusters/). Pure.
import {
  serviceNameLabel,
  sourceClusterLabel,
  type ClusterObjects,
  type EndpointSlice,
} from '../kube/objects.ts';
import { serviceKey } from './endpoints.ts';
import { addMulticlusterZone, type MulticlusterInput } from './multicluster.ts';
import { isReverseZone, join } from './names.ts';
import { clusterIPs, type ServiceContext } from './service.ts';

/** `--export-zone`: the clusterset zone, and the cluster id its per-cluster names carry. */
export interface ExportOptions {
  zone: string;
  cluster: string;
}

/** Problems with `e`, empty when usable (`zones`: the kubernetes and external zones). */
export function exportProblems(e: ExportOptions, zones: readonly string[]): string[] {
  const problems: string[] = [];
  if (isReverseZone(e.zone)) problems.push(`export zone ${e.zone}: a reverse zone`);
  if (zones.includes(e.zone)) problems.push(`export zone ${e.zone} is also a served zone`);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(e.cluster))
    problems.push(`export cluster id must be one DNS label, got "${e.cluster}"`);
  return problems;
}

/**
 * The exported Services of `objects` (already narrowed by the Service selection) as imports of
 * this cluster: ExternalName Services are not exported (KEP-1645 "Exporting Services").
 */
export function exportedInput(
  objects: ClusterObjects,
  cluster: string,
  exposed: (ns: string) => boolean,
): MulticlusterInput {
  const exported = new Set(
    (objects.serviceExports ?? []).map((e) => serviceKey(e.metadata.namespace, e.metadata.name)),
  );
  const out: MulticlusterInput = { imports: [], slices: new Map() };
  for (const svc of objects.services) {
    const { name, namespace } = svc.metadata;
    const key = serviceKey(namespace, name);
    if (!exported.has(key) || !exposed(namespace) || svc.spec.type === 'ExternalName') continue;
    const ips = clusterIPs(svc);
    const headless = ips[0] === 'None';
    out.imports.push({
      metadata: { name, namespace },
      spec: {
        type: headless ? 'Headless' : 'ClusterSetIP',
        ips: headless ? [] : ips,
        ports: svc.spec.ports,
      },
    });
  }
  const wanted = new Set(out.imports.map((i) => serviceKey(i.metadata.namespace, i.metadata.name)));
  for (const s of objects.endpointSlices) {
    const owner = s.metadata.labels?.[serviceNameLabel];
    const key = owner && serviceKey(s.metadata.namespace, owner);
    if (!key || !wanted.has(key)) continue;
    out.slices.set(key, [...(out.slices.get(key) ?? []), fromCluster(s, cluster)]);
  }
  return out;
}

/** The slice as the MCS controller imports it: labelled with the cluster it comes from. */
function fromCluster(s: EndpointSlice, cluster: string): EndpointSlice {
  const labels = { ...s.metadata.labels, [sourceClusterLabel]: cluster };
  return { ...s, metadata: { ...s.metadata, labels } };
}

/** The export zone's names: the exported Services, and `svc.<zone>`, `<ns>.svc.<zone>` above
 *  them (empty non-terminals, RFC 8020). */
export function addExportZone(
  ctx: ServiceContext,
  input: MulticlusterInput,
  exposed: (ns: string) => boolean,
  endpointPodNames: boolean,
): void {
  if (input.imports.length === 0) return;
  ctx.out.touch(join('svc', ctx.zone));
  for (const imp of input.imports) ctx.out.touch(join(imp.metadata.namespace, 'svc', ctx.zone));
  addMulticlusterZone(ctx, input, exposed, endpointPodNames);
}
