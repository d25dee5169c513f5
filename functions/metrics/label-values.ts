// Label values as CoreDNS writes them (plugin/metrics/vars): the query types it names (every other
// type is "other"), rcode names as miekg/dns spells them, and the fixed labels of a server block.

/** The types CoreDNS's metrics name (vars/monitor.go); the rest are "other". */
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

/** Index into TYPE_NAMES of a qtype (RFC 1035 §3.2.2, RFC 3596, RFC 4034, RFC 5155, RFC 9460). */
export function typeIndex(qtype: number): number {
  switch (qtype) {
    case 1:
      return 0; // A
    case 28:
      return 1; // AAAA
    case 5:
      return 2; // CNAME
    case 48:
      return 3; // DNSKEY
    case 43:
      return 4; // DS
    case 15:
      return 5; // MX
    case 50:
      return 6; // NSEC3
    case 47:
      return 7; // NSEC
    case 2:
      return 8; // NS
    case 12:
      return 9; // PTR
    case 46:
      return 10; // RRSIG
    case 6:
      return 11; // SOA
    case 33:
      return 12; // SRV
    case 16:
      return 13; // TXT
    case 65:
      return 14; // HTTPS
    case 251:
      return 15; // IXFR
    case 252:
      return 16; // AXFR
    case 255:
      return 17; // ANY
    default:
      return OTHER_TYPE;
  }
}

export const OTHER_TYPE = TYPE_NAMES.length - 1;

/**
 * Rcode names (RFC 1035 §4.1.1, RFC 2136, RFC 8490, RFC 6891), as miekg/dns's RcodeToString:
 * 16 is "BADSIG" (BADVERS shares the number); an rcode without a name is its number.
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
];

/** Rcodes the tables index directly (0..16); larger ones are rare and go through `rcodeName`. */
export const RCODE_COUNT = RCODE_NAMES.length;

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? String(rcode);
}

export const rcodeNames: readonly string[] = RCODE_NAMES;

/**
 * The `plugin` label of coredns_dns_responses_total: who wrote the answer. "" is the server
 * itself (FORMERR, NOTIMP, REFUSED outside every zone, SERVFAIL before the records are trusted).
 */
export const PLUGINS = ['', 'kubernetes', 'forward', 'cache'] as const;
export const PLUGIN_SERVER = 0;
export const PLUGIN_KUBERNETES = 1;
export const PLUGIN_FORWARD = 2;
export const PLUGIN_CACHE = 3;

/**
 * The `zone` label: the server block's zone. edge-dns is one block, `.`; a message without a
 * question is "dropped", as CoreDNS labels what matched no block (vars.Dropped).
 */
export const ZONES = ['.', 'dropped'] as const;
export const ZONE_ROOT = 0;
export const ZONE_DROPPED = 1;

/** `proto`: DoH is "tcp", as CoreDNS's DoH server reports it (its writer's remote is a TCP address). */
export const PROTOS = ['udp', 'tcp'] as const;

/** `family`: "1" IPv4, "2" IPv6 (IANA address family numbers, as CoreDNS's request.Family). */
export const FAMILIES = ['1', '2'] as const;

/** `type` of coredns_cache_hits_total and coredns_cache_entries. */
export const CACHE_TYPES = ['success', 'denial'] as const;
