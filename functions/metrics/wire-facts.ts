// What the metrics need of a query and its reply, read off the wire (RFC 1035 §4.1) without
// decoding them: the question's type, the DO bit, the rcode, whether the answer section is empty.
// Bounds are checked at every step; a message cut short gives the answer for "no question".

/** The DO bit in queryFacts' result. */
export const DO_BIT = 0x10000;

/**
 * The qtype of a query's single question in the low 16 bits and DO_BIT when its OPT record has
 * the DO bit (RFC 3225 §3); -1 when there is no whole question: QDCOUNT other than 1, a name cut
 * short or compressed (the resolver answers those FORMERR, docs/architecture.md §6.7).
 */
export function queryFacts(q: Uint8Array): number {
  const length = q.length;
  if (length < 17 || q[4] !== 0 || q[5] !== 1) return -1;
  const typeAt = skipName(q, 12, false);
  if (typeAt < 0 || typeAt + 4 > length) return -1;
  const qtype = (q[typeAt]! << 8) | q[typeAt + 1]!;
  const arcount = (q[10]! << 8) | q[11]!;
  if (arcount === 0) return qtype;
  const records = ((q[6]! << 8) | q[7]!) + ((q[8]! << 8) | q[9]!) + arcount;
  const ttl = optTtl(q, typeAt + 4, records);
  return ttl >= 0 && q[ttl + 2]! & 0x80 ? qtype | DO_BIT : qtype;
}

/**
 * The reply's rcode: the header's 4 bits, with the OPT record's extended bits (RFC 6891 §6.1.3)
 * when the reply has the shape that carries them here (no answer or authority record, one
 * additional: BADVERS), so the common reply costs one read.
 */
export function replyRcode(r: Uint8Array): number {
  const low = r[3]! & 0xf;
  if (low !== 0 || r.length < 12 || r[6] || r[7] || r[8] || r[9] || r[10] || r[11] !== 1)
    return low;
  const at = r[4] === 0 && r[5] === 1 ? skipName(r, 12, true) + 4 : 12;
  const ttl = at >= 12 ? optTtl(r, at, 1) : -1;
  return ttl >= 0 ? (r[ttl]! << 4) | low : low;
}

/** A denial (RFC 2308 §2: NXDOMAIN or NODATA) or a failure kept as one: CoreDNS's denial cache. */
export function isDenial(r: Uint8Array, rcode: number): boolean {
  return rcode === 3 || rcode === 2 || (rcode === 0 && r[6] === 0 && r[7] === 0);
}

/**
 * Offset after the name at `at`, or -1 when it runs past the message, has a bad label, or (when
 * `pointers` is false) is compressed.
 */
function skipName(m: Uint8Array, at: number, pointers: boolean): number {
  for (let hops = 0; hops < 128; hops++) {
    const label = m[at];
    if (label === undefined) return -1;
    if (label === 0) return at + 1;
    if ((label & 0xc0) === 0xc0) return pointers && at + 2 <= m.length ? at + 2 : -1;
    if (label > 63) return -1;
    at += label + 1;
  }
  return -1;
}

/** Offset of the TTL field of the first OPT record among `records` from `at`, or -1. */
function optTtl(m: Uint8Array, at: number, records: number): number {
  for (let i = 0; i < records && i < 64; i++) {
    const typeAt = skipName(m, at, true);
    if (typeAt < 0 || typeAt + 10 > m.length) return -1;
    if (m[typeAt] === 0 && m[typeAt + 1] === 41) return typeAt + 4;
    at = typeAt + 10 + ((m[typeAt + 8]! << 8) | m[typeAt + 9]!);
  }
  return -1;
}
