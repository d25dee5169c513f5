// Does a reply answer our query? RFC 5452 §9.1: a resolver MUST match the query ID, name, class
// and type (the addresses and ports are the transport's part, upstream-udp.ts); anything else is
// invalid and ignored. Reads the 12-byte header and the question in place: no decoding, no
// allocation beyond the shape of the query. Pure.

/** What a reply is compared with: read once from the query we send. */
export interface QueryShape {
  id: number;
  opcode: number;
  /** The question name in wire form (labels and the root byte), as sent. */
  name: Uint8Array;
  type: number;
  class: number;
}

/** Why a reply does not answer the query; undefined when it does. */
export type Mismatch =
  | 'short'
  | 'id'
  | 'not-response'
  | 'opcode'
  | 'question-count'
  | 'question'
  | 'name'
  | 'type'
  | 'class';

export interface MatchOptions {
  /**
   * Compare the name byte for byte. For a caller that randomizes the case of its query names
   * (draft-vixie-dnsext-dns0x20): the reply must echo the exact case. Default: ASCII letters match
   * either case (RFC 1035 §2.3.3, RFC 4343 §3).
   */
  exactCase?: boolean;
}

const HEADER = 12;
const RCODE_FORMERR = 1;
const RCODE_NOTIMP = 4;

/** Reads the query's header and only question; throws a TypeError when it has none (our own bug). */
export function queryShape(query: Uint8Array): QueryShape {
  if (query.length < HEADER || count(query, 4) !== 1)
    throw new TypeError('an upstream query needs exactly one question');
  const end = nameEnd(query, HEADER);
  if (end === undefined || end + 4 > query.length)
    throw new TypeError('the query question is cut short or compressed');
  return {
    id: u16(query, 0),
    opcode: opcodeOf(query),
    name: query.subarray(HEADER, end),
    type: u16(query, end),
    class: u16(query, end + 2),
  };
}

/**
 * Checks `reply` against the query. QR must be set and the opcode echoed (RFC 1035 §4.1.1), the
 * one question equal to ours (RFC 5452 §9.1).
 *
 * A reply without a question (QDCOUNT 0) cannot match a name, so by RFC 5452 §9.1 it is invalid,
 * with two exceptions that carry nothing to cache: FORMERR or NOTIMP with no answer or authority
 * records and at most one additional (room for an OPT) — a server that could not parse or does
 * not implement the query has no question to echo (RFC 1035 §4.1.1; RFC 6891 §7 FORMERR from a
 * server without EDNS) — and TC with no answer or authority records, which only sends us to TCP
 * (BIND accepts it for that reason). Accepting them lets an error come back at once instead of
 * after the read timeout; a forger who has already guessed ID and port gains nothing a SERVFAIL
 * with our question would not give it. CoreDNS (request.Match) rejects every QDCOUNT 0 reply.
 */
export function replyMismatch(
  query: QueryShape,
  reply: Uint8Array,
  options: MatchOptions = {},
): Mismatch | undefined {
  if (reply.length < HEADER) return 'short';
  if (u16(reply, 0) !== query.id) return 'id';
  if ((reply[2]! & 0x80) === 0) return 'not-response';
  if (opcodeOf(reply) !== query.opcode) return 'opcode';
  const questions = count(reply, 4);
  if (questions === 0) return emptyQuestionAcceptable(reply) ? undefined : 'question-count';
  if (questions !== 1) return 'question-count';
  const end = nameEnd(reply, HEADER);
  if (end === undefined || end + 4 > reply.length) return 'question';
  if (!sameName(query.name, reply.subarray(HEADER, end), options.exactCase ?? false)) return 'name';
  if (u16(reply, end) !== query.type) return 'type';
  if (u16(reply, end + 2) !== query.class) return 'class';
  return undefined;
}

/** The TC bit (RFC 1035 §4.1.1): the reply was cut to fit; retry over TCP (RFC 7766 §5). */
export function isTruncated(reply: Uint8Array): boolean {
  return reply.length >= HEADER && (reply[2]! & 0x02) !== 0;
}

function emptyQuestionAcceptable(reply: Uint8Array): boolean {
  if (count(reply, 6) !== 0 || count(reply, 8) !== 0) return false;
  if (isTruncated(reply)) return true;
  const rcode = reply[3]! & 0x0f;
  return (rcode === RCODE_FORMERR || rcode === RCODE_NOTIMP) && count(reply, 10) <= 1;
}

/** Offset just past an uncompressed name at `offset`, or undefined (cut short, pointer, bad label). */
function nameEnd(message: Uint8Array, offset: number): number | undefined {
  let at = offset;
  for (;;) {
    if (at >= message.length) return undefined;
    const length = message[at]!;
    if (length === 0) return at + 1;
    // 0xC0 is a compression pointer: nothing precedes the first question to point at. 0x40 and
    // 0x80 are unassigned label types (RFC 6891 §5). None of them is a name we sent.
    if (length > 63) return undefined;
    at += 1 + length;
    if (at - offset > 254) return undefined; // 255 octets with the root byte (RFC 1035 §2.3.4)
  }
}

/** Wire names, letters compared case-insensitively unless `exact`. Length bytes are < 0x41, so folding them is harmless. */
function sameName(a: Uint8Array, b: Uint8Array, exact: boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (exact || fold(x) !== fold(y)) return false;
  }
  return true;
}

const fold = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte);
const u16 = (message: Uint8Array, at: number): number => (message[at]! << 8) | message[at + 1]!;
const count = (message: Uint8Array, at: number): number => u16(message, at);
const opcodeOf = (message: Uint8Array): number => (message[2]! >> 3) & 0x0f;
