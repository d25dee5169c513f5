// The CoreDNS `kubernetes` plugin's zones and ttl, as configured: one rule for the container's and
// the sync's zod fields (fields.ts) and the edge's plain checks (edge-config.ts, which stays free
// of zod to keep the Lambda and Workers bundles small).

/** Labels of letters, digits, '-' (not first or last) and '_' (SRV-style), any case, an optional
 *  trailing dot (RFC 1035 §2.3.1, with RFC 2782's underscore labels). */
export const ZONE_NAME =
  /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;
export const ZONE_NAME_EXPECTED = 'expected a DNS name such as cluster.local';

/** A zone as the resolver keeps it: lowercase, no trailing dot. */
export function normalizeZoneName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Answer TTL, seconds (the kubernetes plugin's `ttl`: 0..3600). */
export const TTL_MAX_SECONDS = 3600;
