// IP addresses as the node codec (node-codec.ts) keeps them: 4 or 16 bytes, when formatting the
// bytes gives back the text exactly. That holds for the canonical text the builder writes
// (core/ip.ts: dotted quads without leading zeros, RFC 5952 for IPv6); other text stays text.
import { ipv6Bytes } from '../core/ip.ts';

/** Writes a canonical dotted quad's 4 bytes to `to` at `at`, when given; false if not one. */
export function writeV4(address: string, to: Uint8Array | undefined, at: number): boolean {
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= address.length; i++) {
    const c = i < address.length ? address.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || part > 3) return false;
      if (to) to[at + part] = value;
      part++;
      digits = value = 0;
    } else if (c >= 0x30 && c <= 0x39 && !(digits === 1 && value === 0)) {
      value = value * 10 + c - 0x30;
      digits++;
    } else return false;
  }
  return part === 4;
}

/** The 16 bytes of an IPv6 address written as RFC 5952 writes it, else undefined. */
export function canonicalV6Bytes(address: string): number[] | undefined {
  const bytes = ipv6Bytes(address);
  return bytes && v6Text(bytes, 0) === address ? bytes : undefined;
}

/** RFC 5952 §4: lowercase hex, no leading zeros, the longest run (≥ 2) of zero groups as ::. */
export function v6Text(bytes: ArrayLike<number>, at: number): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (bytes[at + 2 * i] || bytes[at + 2 * i + 1]) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && !bytes[at + 2 * j] && !bytes[at + 2 * j + 1]) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (i > 0 && i !== best + bestLength) text += ':';
    text += ((bytes[at + 2 * i]! << 8) | bytes[at + 2 * i + 1]!).toString(16);
  }
  return text;
}
