// Zones written as a plugin's arguments, as CoreDNS reads them (plugin.OriginsFromArgsOrServerBlock,
// fall.SetZonesFromArgs): a domain name, or an address block written as a CIDR that stands for
// its reverse zones (RFC 1035 §3.5, RFC 3596 §2.5), split on label boundaries (8 bits of IPv4,
// 4 of IPv6) as CoreDNS's cidr.Split does. Canonical: lowercase, no trailing dot, '' the root.
import { ZONE_NAME } from '../../common/config/zone-name.ts';
import { ipv4Bytes, ipv6Bytes } from '../core/ip.ts';
import { directiveError, type Directive } from './corefile.ts';

/** The zones of `args`, or `blockZones` when there are none. Throws naming `d` for a bad one. */
export function zonesFromArgs(
  d: Directive,
  args: readonly string[],
  blockZones: readonly string[],
): string[] {
  if (args.length === 0) return [...blockZones];
  return args.flatMap((arg) => zoneArg(d, arg));
}

/** The zones one argument stands for: one for a name, one or more for a CIDR. */
export function zoneArg(d: Directive, arg: string): string[] {
  if (arg === '.') return [''];
  const slash = arg.indexOf('/');
  if (slash >= 0) {
    const zones = reverseZones(arg.slice(0, slash), arg.slice(slash + 1));
    if (!zones) throw directiveError(d, `"${arg}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`);
    return zones;
  }
  if (!ZONE_NAME.test(arg)) throw directiveError(d, `"${arg}" is not a zone name`);
  return [arg.toLowerCase().replace(/\.$/, '')];
}

function reverseZones(address: string, prefixText: string): string[] | undefined {
  const v4 = ipv4Bytes(address);
  const bytes = v4 ?? ipv6Bytes(address);
  if (!bytes || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bits = bytes.length * 8;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  // Digits of the address: octets of IPv4, nibbles of IPv6; `step` bits each.
  const step = v4 ? 8 : 4;
  const digits = v4 ? [...bytes] : bytes.flatMap((b) => [b >> 4, b & 0xf]);
  const whole = Math.ceil(prefix / step);
  const free = whole * step - prefix; // bits of the last digit the prefix leaves open
  const suffix = v4 ? 'in-addr.arpa' : 'ip6.arpa';
  const zones: string[] = [];
  for (let i = 0; i < 1 << free; i++) {
    const kept = digits.slice(0, whole);
    if (whole > 0) {
      const last = kept[whole - 1] ?? 0;
      kept[whole - 1] = ((last >> free) << free) | i; // the network's digit, then each subnet's
    }
    const labels = kept.reverse().map((n) => n.toString(v4 ? 10 : 16));
    zones.push([...labels, suffix].join('.'));
  }
  return zones;
}
