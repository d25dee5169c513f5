// Cache-Control of a DoH response (RFC 8484 §5.1) read straight from the wire answer, without
// decoding it: this runs on every query.

const SOA = 6;

/**
 * `max-age=` the smallest TTL in the answer section; for a negative answer (NXDOMAIN, or NODATA
 * and the negative tail of a CNAME chain) also the SOA's negative TTL, min(SOA TTL, MINIMUM)
 * (RFC 2308 §5). Anything else (SERVFAIL, REFUSED, NOTIMP, FORMERR, or no TTL to go by) is
 * `no-store`: SERVFAIL says the data could not be read, and a cache must not repeat that once
 * the store is back (RFC 2308 §7.1 allows at most 5 minutes; we choose none).
 */
export function cacheControl(wire: Uint8Array): string {
  const maxAge = freshness(wire);
  return maxAge === undefined ? 'no-store' : `max-age=${maxAge}`;
}

function freshness(wire: Uint8Array): number | undefined {
  if (wire.length < 12) return undefined;
  const rcode = wire[3]! & 0xf;
  if (rcode !== 0 && rcode !== 3) return undefined; // NOERROR, NXDOMAIN
  const u16 = (at: number) => (wire[at]! << 8) | wire[at + 1]!;
  const u32 = (at: number) => u16(at) * 0x10000 + u16(at + 2);
  // RFC 2181 §8: a TTL with the top bit set counts as zero.
  const ttl = (at: number) => (u32(at) > 0x7fffffff ? 0 : u32(at));
  const [qd, an, ns] = [u16(4), u16(6), u16(8)];
  let at = 12;
  for (let i = 0; i < qd; i++) at = skipName(wire, at) + 4;
  let best: number | undefined;
  for (let i = 0; i < an + ns; i++) {
    at = skipName(wire, at);
    if (at + 10 > wire.length) return undefined;
    const type = u16(at);
    const rdlength = u16(at + 8);
    const end = at + 10 + rdlength;
    if (end > wire.length) return undefined;
    if (i < an) best = Math.min(best ?? Infinity, ttl(at + 4));
    else if (type === SOA && rdlength >= 20)
      best = Math.min(best ?? Infinity, ttl(at + 4), ttl(end - 4));
    at = end;
  }
  return best;
}

/** The offset after a name (labels, then a zero or a compression pointer: RFC 1035 §4.1.4). */
function skipName(wire: Uint8Array, at: number): number {
  while (at < wire.length) {
    const len = wire[at]!;
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
  return wire.length + 1; // past the end: the caller's bounds check fails
}
