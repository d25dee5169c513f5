// Ready endpoint addresses of a Service, from its EndpointSlices, as CoreDNS object/endpoint.go
// (endpointSliceToEndpoints) and kubernetes.go (endpointHostname) see them.
import type { Endpoint, EndpointSlice } from '../kube/objects.ts';
import { serviceNameLabel } from '../kube/objects.ts';
import { dashedIp, parseIp, type Ip } from './ip.ts';

/** A slice port; port -1 is CoreDNS's sentinel for a slice without ports. */
interface SlicePort {
  port: number;
  name: string;
  protocol: string;
}

export interface ReadyAddress {
  ip: Ip;
  /** endpointHostname(): the label under the service name (may hold a dot: see README). */
  hostname: string;
  /** The ports of the slice the address came from. */
  ports: SlicePort[];
  /** The endpoint's `zone`, lowercase (CoreDNS keeps it lowercase), if it has one. */
  zone?: string;
}

const sentinel: SlicePort[] = [{ port: -1, name: '', protocol: '' }];

/** Key joining slices to their Service: `<namespace>/<service-name label>`. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Slices grouped by the Service they belong to (label kubernetes.io/service-name). */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[serviceNameLabel];
    if (!svc) continue; // CoreDNS would index it under ".<ns>": no Service can match that.
    const key = serviceKey(s.metadata.namespace, svc);
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/** discovery/v1 docs and CoreDNS endpointsliceReady: a nil `ready` is ready. */
export function isReady(e: Endpoint): boolean {
  return e.conditions?.ready ?? true;
}

/**
 * CoreDNS endpointHostname(): the endpoint's hostname; else, with endpoint_pod_names, the
 * targetRef name when shorter than 64 (any targetRef kind); else the dashed IP, where an IPv6
 * address ending in a zero run (`fd00::`, dashed `fd00--`) gets a `0` after its trailing dash, as
 * CoreDNS writes it (`fd00--0`). One starting with a zero run (`::1`) keeps its leading dashes
 * (`--1`): CoreDNS changes only the end. Pod names (pods.ts) keep the plain dashes, as CoreDNS's
 * pod lookup compares them with the pod's address as written.
 */
export function endpointHostname(e: Endpoint, ip: Ip, endpointPodNames: boolean): string {
  if (e.hostname) return e.hostname.toLowerCase();
  const ref = e.targetRef?.name;
  if (endpointPodNames && ref && ref.length < 64) return ref.toLowerCase();
  const dashed = dashedIp(ip);
  return dashed.endsWith('-') ? `${dashed}0` : dashed;
}

function slicePorts(s: EndpointSlice): SlicePort[] {
  if (s.ports.length === 0) return sentinel;
  return s.ports.map((p) => ({
    port: p.port ?? -1,
    name: (p.name ?? '').toLowerCase(),
    protocol: (p.protocol ?? '').toLowerCase(),
  }));
}

/**
 * Ready addresses of the given slices, in slice order. FQDN slices are skipped (see README);
 * addresses that are not IP literals are skipped. `publishNotReady` (the Service's
 * publishNotReadyAddresses) takes every endpoint whatever its conditions (core/v1 ServiceSpec:
 * "disregard any indications of ready/not-ready").
 */
export function readyAddresses(
  slices: readonly EndpointSlice[],
  endpointPodNames: boolean,
  publishNotReady = false,
): ReadyAddress[] {
  const out: ReadyAddress[] = [];
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    const ports = slicePorts(s);
    for (const e of s.endpoints) {
      if (!publishNotReady && !isReady(e)) continue;
      for (const a of e.addresses) {
        const ip = parseIp(a);
        if (!ip) continue;
        const hostname = endpointHostname(e, ip, endpointPodNames);
        out.push({ ip, hostname, ports, ...(e.zone && { zone: e.zone.toLowerCase() }) });
      }
    }
  }
  return out;
}
