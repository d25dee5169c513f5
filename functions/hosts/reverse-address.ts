// The address a reverse name stands for (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa), read
// as CoreDNS's dnsutil.ExtractAddressFromReverse reads it: the labels before the suffix reversed,
// joined with '.' (IPv4) or four at a time with ':' (IPv6; labels past the last whole group of
// four are ignored), then parsed as Go's net.ParseIP. Anything else is no address.
import { parseIp, type Ip } from '../core/ip.ts';

/** `name` canonical (lowercase, no trailing dot). */
export function addressFromReverse(name: string): Ip | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const labels = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse();
    const ip = parseIp(labels.join('.'));
    return ip?.family === 4 ? ip : undefined;
  }
  if (name.endsWith('.ip6.arpa')) {
    const labels = name.slice(0, -'.ip6.arpa'.length).split('.').reverse();
    const groups: string[] = [];
    for (let i = 0; i + 4 <= labels.length; i += 4) groups.push(labels.slice(i, i + 4).join(''));
    return parseIp(groups.join(':'));
  }
  return undefined;
}
