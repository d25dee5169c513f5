// Multi-Cluster Services (KEP-1645) as CoreDNS's `kubernetes { multicluster ZONES }` answers them
// (kubernetes.go findMultiClusterServices): in a multicluster zone, `<svc>.<ns>.svc.<zone>` is a
// ServiceImport (multicluster.x-k8s.io/v1alpha1), not a Service. A ClusterSetIP import answers its
// `spec.ips`, with SRV per port of `spec.ports`; a Headless one the ready endpoints of the
// EndpointSlices labelled `multicluster.kubernetes.io/service-name` (every exporting cluster's),
// with SRV targets `<hostname>.<clusterid>.<svc>.<ns>.svc.<zone>`, the cluster id being the
// slice's `multicluster.kubernetes.io/source-cluster` label. Those endpoint names exist for both
// types (parse.go: two labels left of the service are endpoint and cluster). Pure.
import {
  EXPOSE_ANNOTATION,
  multiclusterServiceLabel,
  sourceClusterLabel,
  type ClusterObjects,
  type EndpointSlice,
  type ServiceImport,
} from '../kube/objects.ts';
import { readyAddresses, serviceKey, type ReadyAddress } from './endpoints.ts';
import { parseIp, type Ip } from './ip.ts';
import { parseLabelSelector, selects } from './label-selector.ts';
import { isSingleLabel, join, serviceName, srvName } from './names.ts';
import type { BuildOptions } from './options.ts';
import {
  addAddresses,
  addEndpointNames,
  addSrv,
  namedPortGroups,
  portKey,
  portSpecs,
  type PortSpec,
  type ServiceContext,
} from './service.ts';
import type { SrvEntry } from './srv.ts';

/** The imports the options choose and the multicluster slices of each, keyed `ns/name`. */
export interface MulticlusterInput {
  imports: ServiceImport[];
  slices: Map<string, EndpointSlice[]>;
}

/**
 * Imports chosen by the `edge-dns.io/expose` annotation as Services are (exposure.ts); slices
 * carrying the service-name label and selected by `labels` (CoreDNS adds that selector to the
 * multicluster slice informer, controller.go).
 */
export function multiclusterInput(
  objects: ClusterObjects,
  options: BuildOptions,
): MulticlusterInput {
  const mode = options.expose ?? 'all';
  const imports = (objects.serviceImports ?? []).filter((i) => {
    const said = i.metadata.annotations?.[EXPOSE_ANNOTATION];
    return mode === 'all' || (mode === 'opt-in' ? said === 'true' : said !== 'false');
  });
  const selector = options.labels === undefined ? undefined : parseLabelSelector(options.labels);
  const slices = new Map<string, EndpointSlice[]>();
  for (const s of objects.endpointSlices) {
    const labels = s.metadata.labels ?? {};
    const owner = labels[multiclusterServiceLabel];
    if (!owner || (selector && !selects(selector, labels))) continue;
    const key = serviceKey(s.metadata.namespace, owner);
    slices.set(key, [...(slices.get(key) ?? []), s]);
  }
  return { imports, slices };
}

/** A ready address and the cluster that exports it. */
interface ClusterAddress extends ReadyAddress {
  cluster: string;
}

function clusterAddresses(slices: readonly EndpointSlice[], podNames: boolean): ClusterAddress[] {
  return slices.flatMap((s) => {
    const cluster = (s.metadata.labels?.[sourceClusterLabel] ?? '').toLowerCase();
    return readyAddresses([s], podNames).map((a) => ({ ...a, cluster }));
  });
}

/** `<hostname>.<clusterid>.<base>` per cluster; a cluster id parse.go cannot reach is skipped. */
function addClusterEndpointNames(
  ctx: ServiceContext,
  base: string,
  addresses: readonly ClusterAddress[],
): void {
  const byCluster = new Map<string, ClusterAddress[]>();
  for (const a of addresses) byCluster.set(a.cluster, [...(byCluster.get(a.cluster) ?? []), a]);
  for (const [cluster, list] of byCluster) {
    if (cluster !== '' && (!isSingleLabel(cluster) || cluster.startsWith('_'))) continue;
    addEndpointNames(ctx, join(cluster, base), list);
  }
}

function addHeadlessImport(
  ctx: ServiceContext,
  base: string,
  imp: ServiceImport,
  addresses: readonly ClusterAddress[],
): void {
  if (addresses.length === 0) return; // err stays errNoItems: NXDOMAIN
  addAddresses(
    ctx,
    base,
    addresses.map((a) => a.ip),
  );
  const target = (a: ClusterAddress): string => join(a.hostname, a.cluster, base);
  addSrv(
    ctx,
    base,
    addresses.flatMap((a) => a.ports.map((p) => ({ port: p.port, target: target(a) }))),
  );
  const named = new Map<string, { name: string; ips: Ip[]; entries: SrvEntry[] }>();
  for (const a of addresses) {
    for (const p of a.ports) {
      const key = portKey(p.name, p.protocol);
      if (!key) continue;
      const name = srvName(p.name, p.protocol, imp.metadata.name, imp.metadata.namespace, ctx.zone);
      let g = named.get(key);
      if (!g) named.set(key, (g = { name, ips: [], entries: [] }));
      g.ips.push(a.ip);
      g.entries.push({ port: p.port, target: target(a) });
    }
  }
  for (const g of named.values()) {
    addAddresses(ctx, g.name, g.ips);
    addSrv(ctx, g.name, g.entries);
  }
}

/** ClusterSetIP: one entry per (port, ip) of the import; an import without ports answers nothing. */
function addClusterSetIP(ctx: ServiceContext, base: string, imp: ServiceImport): void {
  const ips = imp.spec.ips.flatMap((s) => parseIp(s) ?? []);
  const ports = portSpecs(imp.spec.ports, []);
  if (ports.length === 0) return;
  const entries = (ps: readonly PortSpec[]): SrvEntry[] =>
    ps.flatMap((p) => ips.map(() => ({ port: p.port, target: base })));
  addAddresses(ctx, base, ips);
  addSrv(ctx, base, entries(ports));
  for (const group of namedPortGroups(ports)) {
    const { name, protocol } = group[0]!;
    const owner = srvName(name, protocol, imp.metadata.name, imp.metadata.namespace, ctx.zone);
    addAddresses(ctx, owner, ips); // a matching port sets err = nil even without IPs: NODATA
    addSrv(ctx, owner, entries(group));
  }
}

/** The ServiceImport names of one multicluster zone, in the namespaces `exposed` admits. */
export function addMulticlusterZone(
  ctx: ServiceContext,
  input: MulticlusterInput,
  exposed: (ns: string) => boolean,
  endpointPodNames: boolean,
): void {
  for (const imp of input.imports) {
    const { name, namespace } = imp.metadata;
    if (!exposed(namespace)) continue;
    const slices = input.slices.get(serviceKey(namespace, name)) ?? [];
    const addresses = clusterAddresses(slices, endpointPodNames);
    const headless = imp.spec.type === 'Headless';
    // ignore empty_service: a ClusterSetIP import without a ready address is absent.
    if (ctx.ignoreEmptyService && !headless && addresses.length === 0) continue;
    const base = serviceName(name, namespace, ctx.zone);
    if (headless) addHeadlessImport(ctx, base, imp, addresses);
    else addClusterSetIP(ctx, base, imp);
    addClusterEndpointNames(ctx, base, addresses);
  }
}
