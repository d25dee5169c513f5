// The question name of a wire query (RFC 1035 §4.1.2) as the scope check reads it: canonical
// (ASCII lowercase, no trailing dot, the root ''), with a byte that is not a printable character
// other than '.' and '\' written `\DDD` (RFC 1035 §5.1), so a label holding a dot never reads as
// two labels.

const QR = 0x80;

/**
 * The name, or undefined when the message is not a query with exactly one uncompressed question:
 * the resolver answers those without data (FORMERR, RFC 9619; or no reply for a response).
 */
export function questionName(query: Uint8Array): string | undefined {
  if (query.length < 17 || query[2]! & QR || query[4] !== 0 || query[5] !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = query[at];
    if (len === undefined || len > 63) return undefined; // past the end, or compressed
    if (len === 0) break;
    if (at + 1 + len > query.length) return undefined;
    let label = '';
    for (let i = at + 1; i <= at + len; i++) {
      let b = query[i]!;
      if (b >= 0x41 && b <= 0x5a) b += 0x20;
      label +=
        b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c
          ? String.fromCharCode(b)
          : `\\${String(b).padStart(3, '0')}`;
    }
    labels.push(label);
    at += 1 + len;
  }
  return labels.join('.');
}
