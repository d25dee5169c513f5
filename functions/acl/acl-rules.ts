// CoreDNS's `acl` (plugin/acl): rules, each for some zones, each a list of policies tried in
// order; the first policy whose query types and source networks both match decides: allow,
// block (REFUSED), filter (an empty NOERROR) or drop (no reply). A rule whose zones do not hold
// the name, or none of whose policies match, passes the query to the next rule; past the last,
// it is allowed. A source that is no address is blocked, as CoreDNS does. Pure.
import { inAnyNetwork, type IpNetwork } from '../core/ip-network.ts';
import { parseIp } from '../core/ip.ts';
import { isInZone } from '../core/zone.ts';

export type AclAction = 'allow' | 'block' | 'filter' | 'drop';

export interface AclPolicy {
  action: AclAction;
  /** Query type numbers, or every type (`type *`, or no `type` section). */
  types: ReadonlySet<number> | 'all';
  /** Source networks, or every source (`net *`, or no `net` section). */
  nets: readonly IpNetwork[] | 'all';
}

export interface AclRule {
  /** Canonical zones ('' for the root). */
  zones: readonly string[];
  policies: readonly AclPolicy[];
}

/** What the rules decide for a query, and the zone of the rule that decided (metrics label). */
export interface AclVerdict {
  action: AclAction;
  zone: string;
}

/** The verdict for `name` (canonical) of type `qtype` from `address`; allow when none decides. */
export function aclVerdict(
  rules: readonly AclRule[],
  name: string,
  qtype: number,
  address: string,
): AclVerdict {
  // A scoped IPv6 address (`fe80::1%eth0`) is matched without its zone index, as CoreDNS does.
  const source = address.includes('%') ? address.slice(0, address.indexOf('%')) : address;
  for (const rule of rules) {
    const zone = longestZone(rule.zones, name);
    if (zone === undefined) continue;
    if (!parseIp(source)) return { action: 'block', zone };
    for (const p of rule.policies) {
      if (p.types !== 'all' && !p.types.has(qtype)) continue;
      if (p.nets !== 'all' && !inAnyNetwork(p.nets, source)) continue;
      if (p.action === 'allow') return { action: 'allow', zone };
      return { action: p.action, zone };
    }
  }
  return { action: 'allow', zone: '' };
}

function longestZone(zones: readonly string[], name: string): string | undefined {
  let best: string | undefined;
  for (const z of zones)
    if (isInZone(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}
