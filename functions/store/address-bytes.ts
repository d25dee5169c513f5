// IP addresses as the node codec (node-codec.ts) keeps them: 4 or 16 bytes, when formatting the
// bytes gives back the text exactly. That holds for the canonical text the builder writes
// (core/ip.ts: dotted quads without leading zeros, RFC 5952 for IPv6); other text stays text.
import { formatV6, ipv4Bytes, ipv6Bytes } from '../core/ip.ts';

/** Writes a canonical dotted quad's 4 bytes to `to` at `at`, when given; false if not one. */
export function writeV4(address: string, to: Uint8Array | undefined, at: number): boolean {
  const bytes = ipv4Bytes(address);
  if (bytes && to) to.set(bytes, at);
  return bytes !== undefined;
}

/** The 16 bytes of an IPv6 address written as RFC 5952 writes it, else undefined. */
export function canonicalV6Bytes(address: string): number[] | undefined {
  const bytes = ipv6Bytes(address);
  return bytes && formatV6(bytes) === address ? bytes : undefined;
}
