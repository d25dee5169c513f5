// Where the TTLs of an encoded DNS message are, so a cached copy can count them down (RFC 1035
// §6.1) without decoding it. Pure: a walk over the header counts, the question and every RR
// (RFC 1035 §4.1.1-§4.1.3).

export interface RecordTtls {
  /** Byte offsets of the 32-bit TTL fields, in message order; OPT left out (RFC 6891 §6.1.3). */
  offsets: number[];
  /** The smallest of those TTLs in seconds; Infinity when there are none. */
  minTtl: number;
}

const OPT = 41;
/** RFC 2181 §8: a TTL with the top bit set is read as 0. */
const MAX_TTL = 0x7fffffff;

/** The TTL fields of `message`, or undefined if it is not a well-formed DNS message. */
export function recordTtls(message: Uint8Array): RecordTtls | undefined {
  const length = message.length;
  if (length < 12) return undefined;
  const count = (at: number) => (message[at]! << 8) | message[at + 1]!;
  const questions = count(4);
  const records = count(6) + count(8) + count(10);
  let at = 12;
  for (let i = 0; i < questions; i++) {
    at = skipName(message, at);
    if (at < 0 || at + 4 > length) return undefined;
    at += 4; // QTYPE, QCLASS
  }
  const offsets: number[] = [];
  let minTtl = Number.POSITIVE_INFINITY;
  for (let i = 0; i < records; i++) {
    at = skipName(message, at);
    // TYPE, CLASS, TTL, RDLENGTH: 10 bytes, then RDATA.
    if (at < 0 || at + 10 > length) return undefined;
    const end = at + 10 + count(at + 8);
    if (end > length) return undefined;
    if (count(at) !== OPT) {
      const ttl =
        ((message[at + 4]! << 24) |
          (message[at + 5]! << 16) |
          (message[at + 6]! << 8) |
          message[at + 7]!) >>>
        0;
      offsets.push(at + 4);
      minTtl = Math.min(minTtl, ttl > MAX_TTL ? 0 : ttl);
    }
    at = end;
  }
  return at === length ? { offsets, minTtl } : undefined;
}

/**
 * The offset just past the name at `start`, or -1. A name is labels up to a zero byte, or up to
 * a compression pointer (RFC 1035 §4.1.4), which must point past the header and before the name
 * (so no loops); at most 255 bytes (RFC 1035 §3.1). Label types 01 and 10 are not in use (RFC
 * 6891 §5).
 */
function skipName(message: Uint8Array, start: number): number {
  let at = start;
  for (;;) {
    const label = message[at];
    if (label === undefined) return -1;
    if (label === 0) return at - start < 255 ? at + 1 : -1;
    if ((label & 0xc0) === 0xc0) {
      if (at + 1 >= message.length) return -1;
      const target = ((label & 0x3f) << 8) | message[at + 1]!;
      return target >= 12 && target < start ? at + 2 : -1;
    }
    if (label > 63) return -1;
    at += label + 1;
    if (at - start >= 255) return -1;
  }
}
