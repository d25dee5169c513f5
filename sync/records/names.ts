// Owner names the builder creates, per the Kubernetes DNS spec (DNS-Based Service Discovery 1.1.0, §2) and
// CoreDNS parseRequest: <service>.<ns>.svc.<zone>, <endpoint>.<service>..., _<port>._<proto>.<service>...,
// <dashed-ip>.<ns>.pod.<zone>. All names are canonical (lowercase, no trailing dot).

/** CoreDNS dnsutil.IsReverse: a zone under in-addr.arpa or ip6.arpa. */
export function isReverseZone(zone: string): boolean {
  return (
    zone === 'in-addr.arpa' ||
    zone.endsWith('.in-addr.arpa') ||
    zone === 'ip6.arpa' ||
    zone.endsWith('.ip6.arpa')
  );
}

/** True when `name` is `zone` or below it (label-wise). The root zone '' holds every name. */
function isInZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/** The longest configured zone holding `name` (CoreDNS plugin.Zones.Matches), or undefined. */
export function owningZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) {
    if (isInZone(name, z) && (best === undefined || z.length > best.length)) best = z;
  }
  return best;
}

/** Joins labels and a zone into a canonical name. */
export function join(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('.')
    .toLowerCase();
}

/** `<service>.<ns>.svc.<zone>` */
export function serviceName(service: string, namespace: string, zone: string): string {
  return join(service, namespace, 'svc', zone);
}

/** `_<port>._<proto>.<service>.<ns>.svc.<zone>` (RFC 2782 service and protocol labels). */
export function srvName(
  port: string,
  protocol: string,
  service: string,
  namespace: string,
  zone: string,
): string {
  return join(`_${port}`, `_${protocol}`, service, namespace, 'svc', zone);
}

/** `<ns>.pod.<zone>` */
export function podNamespaceName(namespace: string, zone: string): string {
  return join(namespace, 'pod', zone);
}

/**
 * A name the DNS can carry (RFC 1035 §2.3.4): labels 1..63 octets, name ≤ 253 characters in text.
 * Used to drop what dns-packet could not encode (e.g. a hand-written externalName).
 */
export function isEncodableName(name: string): boolean {
  if (name === '' || name.length > 253) return false;
  return name.split('.').every((l) => l.length >= 1 && l.length <= 63);
}

/** A single DNS label as used for endpoint hostnames (no dots, 1..63 octets). */
export function isSingleLabel(label: string): boolean {
  return label.length >= 1 && label.length <= 63 && !label.includes('.');
}
