// External names (CoreDNS `k8s_external`, plugin/kubernetes/external.go External): a Service's
// `spec.externalIPs` and LoadBalancer `status.loadBalancer.ingress` points (an IP, else a hostname;
// object/service.go ToService) answered as `<svc>.<ns>.<zone>` in each external zone, with SRV at
// that name and at `_<port>._<proto>.<svc>.<ns>.<zone>` for named ports. A Service without such
// addresses (ClusterIP only) gives no name. The apex SOA/NS are the core's (functions/core/zone.ts
// externalZone); `<apex>.<zone>` and `ns1.<apex>.<zone>` are made here, empty, as k8s_external
// answers them NODATA (apex.go serveSubApex). Pure.
import type { Service } from '../kube/objects.ts';
import { parseIp, type Ip } from './ip.ts';
import { isEncodableName, join } from './names.ts';
import type { ExternalOptions } from './options.ts';
import type { RecordSets } from './record-sets.ts';
import { srvRecords, type SrvEntry } from './srv.ts';
import { namedPortGroups, portSpecs, type PortSpec } from './service.ts';

/** What a Service is reached at from outside: its addresses, else one hostname (a CNAME). */
export interface ExternalPoints {
  ips: Ip[];
  hostname?: string;
}

/** `spec.externalIPs` then the ingress points, as ToService lists them; undefined when none. */
export function externalPoints(svc: Service): ExternalPoints | undefined {
  const raw = [
    ...svc.spec.externalIPs,
    ...(svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || ''),
  ];
  const ips: Ip[] = [];
  const hostnames: string[] = [];
  for (const text of raw) {
    const ip = parseIp(text);
    if (ip) ips.push(ip);
    else {
      const host = text.toLowerCase().replace(/\.$/, '');
      if (isEncodableName(host)) hostnames.push(host);
    }
  }
  // RFC 2181 §10.1: a CNAME stands alone, so addresses win and only the first hostname is kept.
  if (ips.length > 0) return { ips };
  return hostnames[0] === undefined ? undefined : { ips: [], hostname: hostnames[0] };
}

/**
 * One external zone: its own names under the apex label (`<apex>.<zone>`, `ns1.<apex>.<zone>`,
 * NODATA), `<ns>.<zone>` for each exposed namespace (NODATA: External returns success with no
 * services), and the names of the chosen Services (`services`, already narrowed by exposure.ts)
 * in those namespaces. A namespace named as the apex label is shadowed by it (external.go checks
 * the apex first).
 */
export function addExternalZone(
  out: RecordSets,
  zone: string,
  o: ExternalOptions,
  services: readonly Service[],
  namespaces: ReadonlySet<string>,
): void {
  out.touch(join(o.apex, zone));
  out.touch(join('ns1', o.apex, zone));
  for (const ns of namespaces) if (ns !== o.apex) out.touch(join(ns, zone));
  for (const svc of services)
    if (namespaces.has(svc.metadata.namespace)) addExternalService(out, zone, o, svc);
}

function addPoints(
  out: RecordSets,
  name: string,
  ttl: number,
  p: ExternalPoints,
  entries: SrvEntry[],
): void {
  for (const ip of p.ips) out.add(name, ip.family === 4 ? 'A' : 'AAAA', ttl, ip.text);
  if (p.hostname !== undefined) out.add(name, 'CNAME', ttl, p.hostname);
  for (const srv of srvRecords(entries)) out.add(name, 'SRV', ttl, srv);
}

/** The external names of one Service in one external zone. */
function addExternalService(out: RecordSets, zone: string, o: ExternalOptions, svc: Service): void {
  const { name: svcName, namespace } = svc.metadata;
  if (namespace === o.apex) return;
  const points = externalPoints(svc);
  if (!points) return;
  const base = join(svcName, namespace, zone);
  // An address answers SRV with the Service's name as target; a hostname is the target itself.
  const target = points.hostname ?? base;
  const count = Math.max(1, points.ips.length);
  // ToService: no ports is CoreDNS's sentinel port -1 (addresses, no SRV).
  const ports = portSpecs(svc.spec.ports);
  const entries = (ps: readonly PortSpec[]): SrvEntry[] =>
    ps.flatMap((p) => Array.from({ length: count }, () => ({ port: p.port, target })));
  addPoints(out, base, o.ttl, points, entries(ports));
  for (const group of namedPortGroups(ports)) {
    const { name, protocol } = group[0]!;
    addPoints(out, join(`_${name}._${protocol}`, base), o.ttl, points, entries(group));
  }
}
