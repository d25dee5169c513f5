// Label values as CoreDNS writes them (plugin/metrics/vars): the fixed labels of a server block.
// The type and rcode names are functions/observe/message-labels.ts's, shared with the query log and
// the edge.

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
