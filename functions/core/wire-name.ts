// Walking names in a DNS message without decoding them (RFC 1035 §4.1.4): for code that edits
// a reply in place and must never read past its end.

/**
 * The offset just past the name at `at` (a pointer ends it), or -1 when the name runs past the
 * end of `m`, uses a reserved label type (0x40, 0x80: RFC 6891 §5) or, without `pointers`, is
 * compressed (a question name must not be, for the callers that say so).
 */
export function skipName(m: Uint8Array, at: number, pointers = true): number {
  while (at < m.length) {
    const len = m[at]!;
    if (len === 0) return at + 1;
    if (len >= 0xc0) return pointers && at + 2 <= m.length ? at + 2 : -1;
    if (len > 63) return -1;
    at += 1 + len;
  }
  return -1;
}

/**
 * Whether the names at `a` and `b` are the same labels, byte for byte, pointers followed; false
 * for a name that runs out of bounds, is malformed or loops.
 */
export function sameName(m: Uint8Array, a: number, b: number): boolean {
  for (let steps = 0; steps < 256; steps++) {
    if (a === b) return true;
    if (a >= m.length || b >= m.length) return false;
    const la = m[a]!;
    const lb = m[b]!;
    if (la >= 0xc0 || lb >= 0xc0) {
      if (la >= 0xc0) {
        if (a + 1 >= m.length) return false;
        a = ((la & 0x3f) << 8) | m[a + 1]!;
      }
      if (lb >= 0xc0) {
        if (b + 1 >= m.length) return false;
        b = ((lb & 0x3f) << 8) | m[b + 1]!;
      }
      continue;
    }
    if (la > 63 || la !== lb) return false;
    if (la === 0) return true;
    if (a + la >= m.length || b + la >= m.length) return false;
    for (let k = 1; k <= la; k++) if (m[a + k] !== m[b + k]) return false;
    a += la + 1;
    b += la + 1;
  }
  return false;
}

/**
 * Whether the name at `at` is made of labels and pointers to offsets before `limit` only, and
 * ends at `end` exactly.
 */
export function namePointsBefore(m: Uint8Array, at: number, end: number, limit: number): boolean {
  while (at < end) {
    const len = m[at]!;
    if (len === 0) return at + 1 === end;
    if (len >= 0xc0) return at + 2 === end && (((len & 0x3f) << 8) | m[at + 1]!) < limit;
    if (len > 63) return false;
    at += 1 + len;
  }
  return false;
}

/**
 * Whether any two bytes of `m` outside [from, to) could be a pointer into [from, to): every
 * compression pointer is such a pair, so none means nothing outside refers into that range.
 * Conservative: data that merely looks like such a pointer also counts.
 */
export function pointsInto(m: Uint8Array, from: number, to: number): boolean {
  for (let i = 12; i + 1 < m.length; i++) {
    if (i >= from - 1 && i < to) continue;
    const b = m[i]!;
    if (b < 0xc0) continue;
    const target = ((b & 0x3f) << 8) | m[i + 1]!;
    if (target >= from && target < to) return true;
  }
  return false;
}
