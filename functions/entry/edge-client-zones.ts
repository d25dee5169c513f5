// EDGE_DNS_CLIENT_ZONES (docs/architecture.md §6.21): client networks and the topology zone each is
// in, `CIDR=ZONE,...` (`10.1.0.0/16=us-east-1a,2001:db8::/32=us-east-1b`). A client address or an
// EDNS Client Subnet (RFC 7871 §6) is in the zone of the longest network holding it.
import { parseIp } from '../core/ip.ts';
import { networkContains, parseNetwork, type IpNetwork } from '../core/ip-network.ts';

export interface ClientZone {
  network: IpNetwork;
  /** A topology zone as EndpointSlices carry it, lowercased (sync/records/zonal.ts). */
  zone: string;
}

/** A Kubernetes label value (the `topology.kubernetes.io/zone` label), and so the zone name. */
const ZONE = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/;

/** One `CIDR=ZONE`, or the message saying what is wrong with it. */
export function parseClientZone(text: string): ClientZone | string {
  const at = text.lastIndexOf('=');
  if (at < 0) return 'expected CIDR=ZONE, such as 10.1.0.0/16=us-east-1a';
  const network = parseNetwork(text.slice(0, at).trim());
  const zone = text
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (!network) return 'expected a network before "=", such as 10.1.0.0/16 or 2001:db8::/32';
  if (!ZONE.test(zone) || zone.split('.').includes(''))
    return 'expected a topology zone after "=": 1-63 letters, digits, "-", "_" and "." (us-east-1a)';
  return { network, zone };
}

/** The zone of the longest network holding `address` (text), at most `prefix` bits of it known
 *  (an ECS SOURCE PREFIX-LENGTH); undefined when none does. */
export function clientZoneOf(
  table: readonly ClientZone[],
  address: string,
  prefix = 128,
): string | undefined {
  const ip = parseIp(address);
  if (!ip) return undefined;
  let best: ClientZone | undefined;
  for (const c of table)
    if (
      c.network.prefix <= prefix &&
      networkContains(c.network, ip) &&
      (!best || c.network.prefix > best.network.prefix)
    )
      best = c;
  return best?.zone;
}
