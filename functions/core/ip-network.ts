// Address networks (CIDR, RFC 4632 §3.1; RFC 4291 §2.3 for IPv6) for the rules that choose by the
// client's address: the rate limit's allow-list and the ACL. A bare address is its own /32 or
// /128. An IPv4-mapped IPv6 client (a dual-stack socket's `::ffff:10.0.0.1`) is its IPv4 address,
// as parseIp reads it (ip.ts).
import { parseIp, type Ip } from './ip.ts';

export interface IpNetwork {
  family: 4 | 6;
  /** The network's address bytes, host bits zero. */
  bytes: number[];
  prefix: number;
}

/** `10.0.0.0/8`, `fd00::/8`, `192.0.2.1`; undefined for anything else (bad prefix, names). */
export function parseNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.bytes.length * 8;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  // A mapped address with a prefix counts its bits from the IPv6 form (`::ffff:0:0/96` is all
  // of IPv4): take them off.
  const mapped = ip.family === 4 && slash >= 0 && text.includes(':');
  const prefix = Number(prefixText) - (mapped ? 96 : 0);
  if (prefix < 0 || prefix > bits) return undefined;
  return { family: ip.family, bytes: masked(ip.bytes, prefix), prefix };
}

/** Whether `ip` is inside `network`. */
export function networkContains(network: IpNetwork, ip: Ip): boolean {
  if (network.family !== ip.family) return false;
  const whole = network.prefix >> 3;
  for (let i = 0; i < whole; i++) if (ip.bytes[i] !== network.bytes[i]) return false;
  const rest = network.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[whole]! & mask) === network.bytes[whole];
}

/** Whether the address text is inside any of `networks` (false when it is no address). */
export function inAnyNetwork(networks: readonly IpNetwork[], address: string): boolean {
  if (networks.length === 0) return false;
  const ip = parseIp(address);
  return ip !== undefined && networks.some((n) => networkContains(n, ip));
}

/** The first `prefix` bits of `bytes`, the rest zero. */
export function masked(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}
