import type { Answer } from 'dns-packet';
import { canonicalName } from './record.ts';

/** A zone we are authoritative for. SOA and NS at its apex are synthesized from this. */
export interface Zone {
  /** Canonical apex, e.g. 'cluster.local', '0.10.in-addr.arpa'. */
  name: string;
  /** TTL of synthesized records (SOA, NS, glue, dashed-IP pods): CoreDNS `ttl`. */
  ttl: number;
  soa: {
    mname: string;
    rname: string;
    refresh: number;
    retry: number;
    expire: number;
    minimum: number;
  };
  /** NS targets at the apex. */
  ns: string[];
  /** Addresses answered at the NS targets inside the zone (glue), if any. */
  nsAddresses: string[];
  /**
   * How a CNAME answers. 'rfc': for every type, then its target (RFC 1034 §3.6.2, RFC 6604).
   * 'coredns': as CoreDNS's backend (plugin/backend_lookup.go): only A, AAAA and TXT follow it, and
   * an in-zone chain that ends without records is dropped for NODATA; other types get NODATA.
   */
  cname: 'rfc' | 'coredns';
}

/**
 * A zone as CoreDNS's kubernetes plugin synthesizes it (plugin/backend_lookup.go SOA):
 * `<zone> SOA ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>`, NS `ns.dns.<zone>`.
 */
export function kubernetesZone(name: string, ttl: number, nsAddresses: string[] = []): Zone {
  const apex = canonicalName(name);
  const ns = join('ns.dns', apex);
  return {
    name: apex,
    ttl,
    soa: {
      mname: ns,
      rname: join('hostmaster', apex),
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
    ns: [ns],
    nsAddresses,
    cname: 'coredns',
  };
}

/**
 * An external zone as CoreDNS's k8s_external synthesizes it (plugin/k8s_external/apex.go):
 * `<zone> SOA ns1.<apex>.<zone> hostmaster.<apex>.<zone> <serial> 7200 1800 86400 <ttl>`, NS
 * `ns1.<apex>.<zone>`, both with TTL `ttl`; `nsAddresses` answer at `ns1.<apex>.<zone>`.
 */
export function externalZone(
  name: string,
  ttl: number,
  apex: string,
  nsAddresses: string[] = [],
): Zone {
  const zone = canonicalName(name);
  const under = join(apex, zone);
  const ns = join('ns1', under);
  return {
    ...kubernetesZone(zone, ttl, nsAddresses),
    soa: {
      mname: ns,
      rname: join('hostmaster', under),
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
    ns: [ns],
  };
}

function join(label: string, zone: string): string {
  return zone === '' ? label : `${label}.${zone}`;
}

/** True when `name` is `zone` or below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/** Longest matching zone (docs/architecture.md §6.1). */
export function findZone(zones: readonly Zone[], name: string): Zone | undefined {
  let best: Zone | undefined;
  for (const zone of zones) {
    if (isInZone(name, zone.name) && (!best || zone.name.length > best.name.length)) best = zone;
  }
  return best;
}

/** The apex SOA; its TTL is min(TTL, MINIMUM) as negative answers need it (RFC 2308 §3). */
export function soaRecord(zone: Zone, serial: number): Answer {
  return {
    name: zone.name,
    type: 'SOA',
    class: 'IN',
    ttl: Math.min(zone.ttl, zone.soa.minimum),
    data: {
      mname: zone.soa.mname,
      rname: zone.soa.rname,
      serial: serial >>> 0,
      refresh: zone.soa.refresh,
      retry: zone.soa.retry,
      expire: zone.soa.expire,
      minimum: zone.soa.minimum,
    },
  };
}
