// Addresses as the builder needs them: dashed labels, reverse names, a stable order. Parsing is the
// core's (functions/core/ip.ts), shared with the resolver.
import { parseIp, type Ip } from '../../functions/core/ip.ts';

export { parseIp, type Ip };

/** The dashed label of an address (CoreDNS endpointHostname, pod names): '.' or ':' -> '-'. */
export function dashedIp(ip: Ip): string {
  return ip.text.replace(/[.:]/g, '-');
}

/** Owner name of the PTR for `ip`: RFC 1035 §3.5 (in-addr.arpa), RFC 3596 §2.5 (ip6.arpa nibbles). */
export function reverseName(ip: Ip): string {
  if (ip.family === 4) return `${[...ip.bytes].reverse().join('.')}.in-addr.arpa`;
  const nibbles = ip.bytes.flatMap((b) => [b >> 4, b & 0xf]).reverse();
  return `${nibbles.map((n) => n.toString(16)).join('.')}.ip6.arpa`;
}

/** Sorts address literals by family then bytes (unparsable ones last, by text): deterministic rdata. */
export function sortIpTexts(texts: readonly string[]): string[] {
  const key = (t: string): string => {
    const ip = parseIp(t);
    return ip
      ? `${ip.family}${ip.bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`
      : `9${t}`;
  };
  return texts
    .map((t) => [key(t), t] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t);
}
