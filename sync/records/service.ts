// Records of one Service in one forward zone, as CoreDNS kubernetes.go findServices answers them:
// ExternalName -> CNAME; headless -> ready endpoint addresses; otherwise the cluster IPs. Every
// name made here is one where CoreDNS answers NOERROR; the rest stays absent (NXDOMAIN).
import type { Service } from '../kube/objects.ts';
import type { ReadyAddress } from './endpoints.ts';
import { parseIp, type Ip } from './ip.ts';
import { isEncodableName, isSingleLabel, join, serviceName, srvName } from './names.ts';
import type { RecordSets } from './record-sets.ts';
import { srvRecords, type SrvEntry } from './srv.ts';
import { addZonalNames } from './zonal.ts';

export interface ServiceContext {
  out: RecordSets;
  zone: string;
  ttl: number;
  ignoreEmptyService: boolean;
  /** CoreDNS `zonal`: zonal names of headless Services (zonal.ts). */
  zonal?: boolean;
}

type ServiceKind = 'external' | 'headless' | 'cluster';

/** CoreDNS object.ToService: ClusterIPs, or [ClusterIP] when the list is empty. */
export function clusterIPs(svc: Service): string[] {
  return svc.spec.clusterIPs.length > 0 ? svc.spec.clusterIPs : [svc.spec.clusterIP ?? ''];
}

/** ExternalName is tested first, then Headless() = ClusterIPs[0] == "None". */
function serviceKind(svc: Service): ServiceKind {
  if (svc.spec.type === 'ExternalName') return 'external';
  return clusterIPs(svc)[0] === 'None' ? 'headless' : 'cluster';
}

export function addAddresses(ctx: ServiceContext, name: string, ips: readonly Ip[]): void {
  ctx.out.touch(name);
  for (const ip of ips) ctx.out.add(name, ip.family === 4 ? 'A' : 'AAAA', ctx.ttl, ip.text);
}

export function addSrv(ctx: ServiceContext, name: string, entries: readonly SrvEntry[]): void {
  for (const srv of srvRecords(entries)) ctx.out.add(name, 'SRV', ctx.ttl, srv);
}

/** A port as the SRV names read it: name and protocol lowercase. */
export interface PortSpec {
  port: number;
  name: string;
  protocol: string;
}

/** `ports` with lowercase names and protocols; none gives CoreDNS's sentinel port -1
 *  (addresses, no SRV) unless `none` says otherwise (ToService). */
export function portSpecs(
  ports: readonly { port: number; name?: string | null; protocol?: string | null }[],
  none: PortSpec[] = [{ port: -1, name: '', protocol: '' }],
): PortSpec[] {
  if (ports.length === 0) return none;
  return ports.map((p) => ({
    port: p.port,
    name: (p.name ?? '').toLowerCase(),
    protocol: (p.protocol ?? '').toLowerCase(),
  }));
}

/** The named ports grouped by `_<name>._<proto>` (first seen first). */
export function namedPortGroups(ports: readonly PortSpec[]): PortSpec[][] {
  const named = new Map<string, PortSpec[]>();
  for (const p of ports) {
    const key = portKey(p.name, p.protocol);
    if (key) named.set(key, [...(named.get(key) ?? []), p]);
  }
  return [...named.values()];
}

/** `_<port>._<proto>` key of a named port; undefined for ports no SRV question can match. */
export function portKey(name: string, protocol: string): string | undefined {
  return name !== '' && protocol !== '' ? `${name}\u0000${protocol}` : undefined;
}

/** Names `<hostname>.<service>...` for every ready endpoint (also for ClusterIP services: the
 * `r.endpoint != ""` branch of findServices), with their addresses and an SRV set of their ports. */
export function addEndpointNames(
  ctx: ServiceContext,
  base: string,
  addresses: readonly ReadyAddress[],
): void {
  const byHost = new Map<string, ReadyAddress[]>();
  for (const a of addresses) {
    const list = byHost.get(a.hostname);
    if (list) list.push(a);
    else byHost.set(a.hostname, [a]);
  }
  for (const [host, list] of byHost) {
    if (!isSingleLabel(host)) continue; // parseRequest cannot reach a dotted name
    const name = join(host, base);
    addAddresses(
      ctx,
      name,
      list.map((a) => a.ip),
    );
    addSrv(
      ctx,
      name,
      list.flatMap((a) => a.ports.map((p) => ({ port: p.port, target: name }))),
    );
  }
}

function addHeadless(
  ctx: ServiceContext,
  base: string,
  svc: Service,
  addresses: readonly ReadyAddress[],
): void {
  if (ctx.zonal) addZonalNames(ctx.out, ctx.ttl, base, addresses);
  // Spec 2.4.1: no ready endpoints -> NXDOMAIN (CoreDNS leaves err = errNoItems).
  if (addresses.length === 0) return;
  addAddresses(
    ctx,
    base,
    addresses.map((a) => a.ip),
  );
  const target = (a: ReadyAddress): string => join(a.hostname, base);
  addSrv(
    ctx,
    base,
    addresses.flatMap((a) => a.ports.map((p) => ({ port: p.port, target: target(a) }))),
  );
  const named = new Map<
    string,
    { port: string; protocol: string; ips: Ip[]; entries: SrvEntry[] }
  >();
  for (const a of addresses) {
    for (const p of a.ports) {
      const key = portKey(p.name, p.protocol);
      if (!key) continue;
      let g = named.get(key);
      if (!g) named.set(key, (g = { port: p.name, protocol: p.protocol, ips: [], entries: [] }));
      g.ips.push(a.ip);
      g.entries.push({ port: p.port, target: target(a) });
    }
  }
  for (const g of named.values()) {
    const name = srvName(g.port, g.protocol, svc.metadata.name, svc.metadata.namespace, ctx.zone);
    addAddresses(ctx, name, g.ips);
    addSrv(ctx, name, g.entries);
  }
  addEndpointNames(ctx, base, addresses);
}

function addClusterIP(
  ctx: ServiceContext,
  base: string,
  svc: Service,
  addresses: readonly ReadyAddress[],
): void {
  const ips = clusterIPs(svc).flatMap((s) => parseIp(s) ?? []);
  const ports = portSpecs(svc.spec.ports);
  const entries = (ps: readonly PortSpec[]): SrvEntry[] =>
    ps.flatMap((p) => ips.map(() => ({ port: p.port, target: base })));
  addAddresses(ctx, base, ips);
  addSrv(ctx, base, entries(ports));
  for (const group of namedPortGroups(ports)) {
    const first = group[0];
    if (!first || ips.length === 0) continue; // no entries: CoreDNS keeps errNoItems
    const name = srvName(
      first.name,
      first.protocol,
      svc.metadata.name,
      svc.metadata.namespace,
      ctx.zone,
    );
    addAddresses(ctx, name, ips); // CoreDNS answers A/AAAA at the SRV name too
    addSrv(ctx, name, entries(group));
  }
  addEndpointNames(ctx, base, addresses);
}

/** Adds the forward records of `svc`; `addresses` are its ready endpoint addresses. */
export function addService(
  ctx: ServiceContext,
  svc: Service,
  addresses: readonly ReadyAddress[],
): void {
  const kind = serviceKind(svc);
  // ignore empty_service: ClusterIP services without a ready address are absent (NXDOMAIN).
  if (ctx.ignoreEmptyService && kind === 'cluster' && addresses.length === 0) return;
  const base = serviceName(svc.metadata.name, svc.metadata.namespace, ctx.zone);
  if (kind === 'external') {
    // msg.Service.HostType: an IP literal is not a CNAME target, so CoreDNS answers NXDOMAIN.
    const raw = svc.spec.externalName ?? '';
    const target = raw.toLowerCase().replace(/\.$/, '');
    if (raw !== '' && !parseIp(raw) && isEncodableName(target))
      ctx.out.add(base, 'CNAME', ctx.ttl, target);
    return;
  }
  if (kind === 'headless') addHeadless(ctx, base, svc, addresses);
  else addClusterIP(ctx, base, svc, addresses);
}
