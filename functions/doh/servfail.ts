// The SERVFAIL the app answers when the resolver throws (it should not: the core turns store
// failures into SERVFAIL itself). A DoH client gets a DNS answer, never a 5xx (RFC 8484 §4.2.1).
// The same reply with another rcode answers a question outside a token's scope (REFUSED or
// NXDOMAIN, docs/architecture.md §6.19).

const QR = 0x8000;
const KEEP = 0x7800 | 0x0100 | 0x0010; // opcode, RD, CD copied from the query (RFC 1035 §4.1.1)
const SERVFAIL = 2;

/**
 * SERVFAIL for `query`: its ID and flags, and its question copied when there is exactly one,
 * written without compression (RFC 1035 §4.1.2). Null when `query` is shorter than a header.
 */
export function servfail(query: Uint8Array): Uint8Array | null {
  return rcodeReply(query, SERVFAIL);
}

/** `query`'s ID, flags and question (as servfail), with `rcode` (RFC 1035 §4.1.1). */
export function rcodeReply(query: Uint8Array, rcode: number): Uint8Array | null {
  if (query.length < 12) return null;
  const qdcount = (query[4]! << 8) | query[5]!;
  const end = qdcount === 1 ? questionEnd(query) : undefined;
  const question = end === undefined ? new Uint8Array(0) : query.subarray(12, end);
  const out = new Uint8Array(12 + question.length);
  const flags = (((query[2]! << 8) | query[3]!) & KEEP) | QR | rcode;
  out.set(query.subarray(0, 2), 0);
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[5] = question.length ? 1 : 0;
  out.set(question, 12);
  return out;
}

/** End of an uncompressed question at offset 12 (labels, zero, QTYPE, QCLASS), if whole. */
function questionEnd(query: Uint8Array): number | undefined {
  let at = 12;
  while (at < query.length && query[at] !== 0) {
    if (query[at]! > 63) return undefined;
    at += 1 + query[at]!;
  }
  return at + 5 <= query.length && at - 12 < 255 ? at + 5 : undefined;
}
