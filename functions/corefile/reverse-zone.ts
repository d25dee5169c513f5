// A CIDR written as a server key, as the reverse zones CoreDNS serves for it (its SplitHostPort
// with cidr.Split and cidr.Reverse): `10.0.0.0/24` is `0.0.10.in-addr.arpa` (RFC 1035 §3.5),
// `2001:db8::/32` is `8.b.d.0.1.0.0.2.ip6.arpa` (RFC 3596 §2.5). A prefix off a label boundary
// (8 bits for IPv4, 4 for IPv6) is split into the zones of the next boundary: `10.0.0.0/22` is
// four /24 zones. Host bits are ignored, as Go's ParseCIDR masks them.
import { ipv4Bytes, ipv6Bytes } from '../core/ip.ts';

/** The reverse zones of `cidr`, or a reason it is not a CIDR CoreDNS accepts. */
export function reverseZones(cidr: string): { zones: string[] } | { error: string } {
  const slash = cidr.indexOf('/');
  const address = cidr.slice(0, slash);
  const prefix = cidr.slice(slash + 1);
  const v6 = address.includes(':');
  const bytes = v6 ? ipv6Bytes(address) : ipv4Bytes(address);
  const bits = v6 ? 128 : 32;
  if (slash < 0 || !bytes || !/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > bits)
    return { error: `expected a CIDR such as 10.0.0.0/24 or fd00::/64, not '${cidr}'` };
  // CoreDNS refuses IPv6 prefixes written from ':' or '0' (the whole space is ip6.arpa).
  if (v6 && (address.startsWith(':') || address.startsWith('0')))
    return { error: `invalid CIDR '${cidr}': write the reverse zone itself, such as ip6.arpa` };
  const digitBits = v6 ? 4 : 8;
  const digits = v6 ? bytes.flatMap((b) => [b >> 4, b & 0xf]) : bytes;
  const ones = Number(prefix);
  const labels = Math.ceil(ones / digitBits); // labels of the zones, once on a boundary
  const spare = labels * digitBits - ones; // prefix bits that vary among the zones
  const suffix = v6 ? 'ip6.arpa' : 'in-addr.arpa';
  if (labels === 0) return { zones: [suffix] };
  const kept = digits.slice(0, labels);
  const last = (kept[labels - 1] ?? 0) & ~((1 << spare) - 1) & ((1 << digitBits) - 1);
  const zones: string[] = [];
  for (let n = 0; n < 1 << spare; n++) {
    kept[labels - 1] = last + n;
    const text = kept.map((d) => d.toString(v6 ? 16 : 10)).reverse();
    zones.push([...text, suffix].join('.'));
  }
  return { zones };
}
