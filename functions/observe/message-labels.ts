// The `type` and `rcode` label values CoreDNS's metrics give a query and its reply
// (plugin/metrics/vars), read off the wire (RFC 1035 §4.1) without decoding the messages. Edge-safe:
// the edge's metric lines use it (edge-metric-line.ts).

/** Query types CoreDNS's metrics name (vars/monitor.go); every other type is "other". */
const TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  65: 'HTTPS',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
};

/** miekg/dns RcodeToString (RFC 1035 §4.1.1, RFC 2136, RFC 8490, RFC 6891): 16 is BADSIG. */
const RCODES = [
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
];
RCODES[16] = 'BADSIG';

/** The question's type label; "other" for unnamed types and for a message without one question. */
export function typeLabel(query: Uint8Array): string {
  if (query[4] !== 0 || query[5] !== 1) return 'other';
  const at = skipName(query, 12);
  return at < 0 || at + 2 > query.length
    ? 'other'
    : (TYPES[(query[at]! << 8) | query[at + 1]!] ?? 'other');
}

/** The reply's rcode name: the header's 4 bits with the OPT record's upper bits (RFC 6891 §6.1.3). */
export function rcodeLabel(reply: Uint8Array): string {
  let rcode = reply[3]! & 0xf;
  const count = (i: number) => (reply[i]! << 8) | reply[i + 1]!;
  let at = 12;
  for (let q = count(4); q > 0 && at > 0; q--) {
    const end = skipName(reply, at);
    at = end < 0 ? -1 : end + 4;
  }
  const records = count(6) + count(8) + count(10);
  for (let i = 0; i < records && at > 0; i++) {
    const typeAt = skipName(reply, at);
    if (typeAt < 0 || typeAt + 10 > reply.length) break;
    if (reply[typeAt] === 0 && reply[typeAt + 1] === 41) {
      rcode |= reply[typeAt + 4]! << 4;
      break;
    }
    at = typeAt + 10 + ((reply[typeAt + 8]! << 8) | reply[typeAt + 9]!);
  }
  return RCODES[rcode] ?? String(rcode);
}

/** Offset after the (possibly compressed) name at `at`, or -1 when it runs past the message. */
function skipName(m: Uint8Array, at: number): number {
  for (let hops = 0; hops < 128; hops++) {
    const label = m[at];
    if (label === undefined || (label > 63 && label < 0xc0)) return -1;
    if (label === 0) return at + 1;
    if (label >= 0xc0) return at + 2 <= m.length ? at + 2 : -1;
    at += label + 1;
  }
  return -1;
}
