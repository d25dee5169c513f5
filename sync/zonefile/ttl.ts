// TTLs in a master file: seconds, or with the units BIND and NSD accept (RFC 2308 §4 `$TTL`
// shows `1h30m`'s kind): w, d, h, m, s in any case, each after a number, a trailing bare number
// counting seconds (`1h30` is 3630).

const UNIT: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
const SHAPE = /^(?:\d+[wdhms])*\d*$/i;
const TERM = /(\d+)([wdhms]?)/gi;

/** The largest TTL a record carries (RFC 2181 §8: 2^31 - 1). */
export const MAX_TTL = 2 ** 31 - 1;

/** True when `text` is shaped as a TTL (a type or class never starts with a digit). */
export function looksLikeTtl(text: string): boolean {
  return /^\d/.test(text);
}

/** Seconds of `text`, or undefined when it is not a TTL or exceeds MAX_TTL. */
export function ttlSeconds(text: string): number | undefined {
  if (!looksLikeTtl(text) || !SHAPE.test(text)) return undefined;
  let total = 0;
  for (const [, digits, unit] of text.matchAll(TERM)) {
    total += Number(digits) * (unit ? UNIT[unit.toLowerCase()]! : 1);
    if (total > MAX_TTL) return undefined;
  }
  return total;
}
