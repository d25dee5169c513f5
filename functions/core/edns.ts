// Message sizes: UDP's with and without EDNS(0) (RFC 6891), and the largest of all.

/** Largest DNS message: the 2-byte length of TCP framing and DoH's limit (RFC 7766 §8). */
export const MAX_MESSAGE = 65535;

/** Our UDP payload size (DNS flag day 2020), advertised in every EDNS answer. */
export const EDNS_UDP_SIZE = 1232;

/**
 * How big a UDP answer may be: 512 without EDNS (RFC 1035 §4.2.1); with it the client's size,
 * never below 512 (RFC 6891 §6.2.5) nor above ours (§6.2.4): `ours` is EDNS_UDP_SIZE, or what
 * CoreDNS's `bufsize` sets (512..4096).
 */
export function udpLimit(clientSize: number | undefined, ours = EDNS_UDP_SIZE): number {
  return clientSize === undefined ? 512 : Math.max(512, Math.min(clientSize, ours));
}
