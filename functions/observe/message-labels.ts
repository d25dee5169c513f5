// What CoreDNS calls a query and its reply in its log and metrics (plugin/metrics/vars, the `log`
// replacer): the rcode names of miekg/dns, the query types its metrics name, and the wire reads
// that find them (RFC 1035 §4.1) without decoding the messages. One table for the query log
// (functions/log/), the container's metrics (functions/metrics/) and the edge's metric lines
// (edge-metric-line.ts). Edge-safe: no `node:` imports. Every read checks its bounds; a message
// cut short reads as "no question".
import { skipName } from '../core/wire-name.ts';

/**
 * miekg/dns RcodeToString (RFC 1035 §4.1.1, RFC 2136, RFC 8490, RFC 6891, RFC 2845, RFC 2930,
 * RFC 4635, RFC 7873). 16 is "BADSIG": BADVERS shares the number and miekg/dns keeps the older
 * name, so CoreDNS prints BADSIG for edge-dns's BADVERS too. An rcode without a name is its number.
 */
const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
  'DSOTYPENI',
  '12',
  '13',
  '14',
  '15',
  'BADSIG',
  'BADKEY',
  'BADTIME',
  'BADMODE',
  'BADNAME',
  'BADALG',
  'BADTRUNC',
  'BADCOOKIE',
];

/** Rcodes the metric tables index directly (0..23); larger ones are their own label. */
export const RCODE_COUNT = RCODE_NAMES.length;
export const rcodeNames: readonly string[] = RCODE_NAMES;

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? String(rcode);
}

/** The types CoreDNS's metrics name (vars/monitor.go); the rest, and no question, are "other". */
export const TYPE_NAMES = [
  'A',
  'AAAA',
  'CNAME',
  'DNSKEY',
  'DS',
  'MX',
  'NSEC3',
  'NSEC',
  'NS',
  'PTR',
  'RRSIG',
  'SOA',
  'SRV',
  'TXT',
  'HTTPS',
  'IXFR',
  'AXFR',
  'ANY',
  'other',
] as const;
export const OTHER_TYPE = TYPE_NAMES.length - 1;

/** Type numbers of TYPE_NAMES (RFC 1035 §3.2.2, RFC 3596, RFC 4034, RFC 5155, RFC 9460). */
const TYPE_NUMBERS = [1, 28, 5, 48, 43, 15, 50, 47, 2, 12, 46, 6, 33, 16, 65, 251, 252, 255];
/** TYPE_NAMES index by qtype below 256 (every named type is): one array read per query. */
const TYPE_INDEX = new Uint8Array(256).fill(OTHER_TYPE);
TYPE_NUMBERS.forEach((qtype, i) => (TYPE_INDEX[qtype] = i));

/** Index into TYPE_NAMES of a qtype. */
export function typeIndex(qtype: number): number {
  return TYPE_INDEX[qtype] ?? OTHER_TYPE;
}

/** The DO bit in queryFacts' result. */
export const DO_BIT = 0x10000;

const u16 = (m: Uint8Array, at: number) => (m[at]! << 8) | m[at + 1]!;

/**
 * The qtype of a query's single question in the low 16 bits and DO_BIT when its OPT record has
 * the DO bit (RFC 3225 §3); -1 when there is no whole question: QDCOUNT other than 1, a name cut
 * short or compressed (the resolver answers those FORMERR, docs/architecture.md §6.7).
 */
export function queryFacts(q: Uint8Array): number {
  if (q.length < 17 || q[4] !== 0 || q[5] !== 1) return -1;
  const typeAt = skipName(q, 12, false);
  if (typeAt < 0 || typeAt + 4 > q.length) return -1;
  const qtype = u16(q, typeAt);
  if (q[10] === 0 && q[11] === 0) return qtype;
  const ttl = optTtl(q, typeAt + 4, u16(q, 6) + u16(q, 8) + u16(q, 10));
  return ttl >= 0 && q[ttl + 2]! & 0x80 ? qtype | DO_BIT : qtype;
}

/**
 * The reply's rcode: the header's 4 bits with the OPT record's upper 8 (RFC 6891 §6.1.3). A reply
 * without additional records costs one header read; otherwise the records before the OPT are
 * skipped.
 */
export function replyRcode(r: Uint8Array): number {
  const low = r[3]! & 0xf;
  if (r.length < 12 || (r[10] === 0 && r[11] === 0)) return low;
  let at = 12;
  for (let n = u16(r, 4); n > 0 && at >= 0; n--) {
    const end = skipName(r, at, true);
    at = end < 0 ? -1 : end + 4;
  }
  const ttl = at < 0 ? -1 : optTtl(r, at, u16(r, 6) + u16(r, 8) + u16(r, 10));
  return ttl >= 0 ? (r[ttl]! << 4) | low : low;
}

/** A denial (RFC 2308 §2: NXDOMAIN or NODATA) or a failure kept as one: CoreDNS's denial cache. */
export function isDenial(r: Uint8Array, rcode: number): boolean {
  return rcode === 3 || rcode === 2 || (rcode === 0 && r[6] === 0 && r[7] === 0);
}

/** The question's type label; "other" for unnamed types and for a message without one question. */
export function typeLabel(query: Uint8Array): string {
  const facts = queryFacts(query);
  return TYPE_NAMES[facts < 0 ? OTHER_TYPE : typeIndex(facts & 0xffff)]!;
}

/** The reply's rcode name. */
export function rcodeLabel(reply: Uint8Array): string {
  return rcodeName(replyRcode(reply));
}

/** Offset of the TTL field of the first OPT record among `records` from `at`, or -1. */
function optTtl(m: Uint8Array, at: number, records: number): number {
  for (let i = 0; i < records; i++) {
    const typeAt = skipName(m, at, true);
    if (typeAt < 0 || typeAt + 10 > m.length) return -1;
    if (m[typeAt] === 0 && m[typeAt + 1] === 41) return typeAt + 4;
    at = typeAt + 10 + u16(m, typeAt + 8);
  }
  return -1;
}
