// The query metrics CoreDNS's `prometheus` plugin exports (plugin/metrics/vars), with its names,
// labels and buckets, kept by a QueryObserver: per query a walk of the question, a read of the
// reply header and a few array increments; labels are written only at scrape time. The cache
// hit and miss counts are per query too, so a query is one hit or one miss across the answer
// cache and the forward cache together, as with CoreDNS's single `cache` (README.md).
import { forwardSource } from '../core/resolver.ts';
import type { ObservedQuery, QueryObserver } from '../observe/query-observer.ts';
import { CounterVec, Dimensions, type SeriesFamily } from './counter-vec.ts';
import { DerivedCounter } from './derived-counter.ts';
import { HistogramVec, SIZE_BUCKETS, TIME_BUCKETS } from './histogram-vec.ts';
import {
  DO_BIT,
  OTHER_TYPE,
  RCODE_COUNT,
  TYPE_NAMES,
  isDenial,
  queryFacts,
  rcodeNames,
  replyRcode,
  typeIndex,
} from '../observe/message-labels.ts';
import {
  CACHE_TYPES,
  FAMILIES,
  PLUGINS,
  PLUGIN_CACHE,
  PLUGIN_FORWARD,
  PLUGIN_KUBERNETES,
  PLUGIN_SERVER,
  PROTOS,
  ZONES,
  ZONE_DROPPED,
  ZONE_ROOT,
} from './label-values.ts';

/** The listeners a query can come from: port 53 (UDP and TCP) and DoH. */
export type ServerKind = 'dns' | 'https';

const VIEWS = [''];
const RCODES = [...rcodeNames, 'other'];
const TYPES = TYPE_NAMES.length;
const AA = 0x04; // in the third header byte (RFC 1035 §4.1.1)

export class DnsMetrics implements QueryObserver {
  /** `server` label values, e.g. `dns://127.0.0.1:53`; grows when a listener moves. */
  readonly #servers: string[] = ['dns://', 'https://'];
  /** Index into #servers by proto: udp, tcp, https. */
  readonly #serverOf = [0, 0, 1];
  readonly requests: CounterVec;
  readonly responses: CounterVec;
  readonly duration: HistogramVec;
  readonly requestSize: HistogramVec;
  readonly responseSize: HistogramVec;
  readonly doRequests: CounterVec;
  readonly cacheHits: CounterVec;
  readonly cacheMisses: CounterVec;
  readonly families: SeriesFamily[];

  constructor(options: { legacyNames?: boolean } = {}) {
    const s = this.#servers;
    const dims = (names: string[], values: (readonly string[])[]) =>
      new Dimensions(names, [s, ...values]);
    const block = [ZONES, VIEWS];
    this.requests = new CounterVec(
      'coredns_dns_requests_total',
      'Counter of DNS requests made per zone, protocol and family.',
      dims(
        ['server', 'zone', 'view', 'proto', 'family', 'type'],
        [...block, PROTOS, FAMILIES, TYPE_NAMES],
      ),
    );
    this.responses = new CounterVec(
      'coredns_dns_responses_total',
      'Counter of response status codes.',
      dims(['server', 'zone', 'view', 'rcode', 'plugin'], [...block, RCODES, PLUGINS]),
    );
    this.duration = new HistogramVec(
      'coredns_dns_request_duration_seconds',
      'Histogram of the time (in seconds) each request took per zone.',
      dims(['server', 'zone', 'view', 'type'], [...block, TYPE_NAMES]),
      TIME_BUCKETS,
    );
    const sized = dims(['server', 'zone', 'view', 'proto'], [...block, PROTOS]);
    this.requestSize = new HistogramVec(
      'coredns_dns_request_size_bytes',
      'Size of the EDNS0 UDP buffer in bytes (64K for TCP) per zone and protocol.',
      sized,
      SIZE_BUCKETS,
    );
    this.responseSize = new HistogramVec(
      'coredns_dns_response_size_bytes',
      'Size of the returned response in bytes.',
      sized,
      SIZE_BUCKETS,
    );
    this.doRequests = new CounterVec(
      'coredns_dns_do_requests_total',
      'Counter of DNS requests with DO bit set per zone.',
      dims(['server', 'zone', 'view'], block),
    );
    this.cacheHits = new CounterVec(
      'coredns_cache_hits_total',
      'The count of cache hits.',
      dims(['server', 'type', 'zones', 'view'], [CACHE_TYPES, ['.'], VIEWS]),
    );
    this.cacheMisses = new CounterVec(
      'coredns_cache_misses_total',
      'The count of cache misses. Deprecated, derive misses from cache hits/requests counters.',
      dims(['server', 'zones', 'view'], [['.'], VIEWS]),
    );
    this.families = [
      this.requests,
      this.responses,
      this.duration,
      this.requestSize,
      this.responseSize,
      this.doRequests,
      this.cacheHits,
      this.cacheMisses,
    ];
    if (options.legacyNames) this.families.push(...legacyFamilies(this));
  }

  /** The listener's `server` label (`dns://HOST:PORT`, `https://HOST:PORT`), once it is bound. */
  setServer(kind: ServerKind, label: string): void {
    let index = this.#servers.indexOf(label);
    if (index < 0) index = this.#servers.push(label) - 1;
    if (kind === 'dns') this.#serverOf[0] = this.#serverOf[1] = index;
    else this.#serverOf[2] = index;
  }

  /** The current `server` label of a kind of listener. */
  server(kind: ServerKind): string {
    return this.#servers[this.#serverOf[kind === 'dns' ? 0 : 2]!]!;
  }

  observe(q: ObservedQuery): void {
    const reply = q.reply;
    // Nothing sent (not a query, or itself a response): CoreDNS's server drops these unseen.
    if (!reply || reply.length < 12) return;
    const proto = q.proto === 'udp' ? 0 : 1;
    const server = this.#serverOf[q.proto === 'udp' ? 0 : q.proto === 'tcp' ? 1 : 2]!;
    const facts = queryFacts(q.query);
    const zone = facts < 0 ? ZONE_DROPPED : ZONE_ROOT;
    const type = facts < 0 ? OTHER_TYPE : typeIndex(facts & 0xffff);
    const rcode = replyRcode(reply);
    const source = q.cached ? undefined : forwardSource(reply);
    // A cache answers NOERROR, NXDOMAIN and (remembered) SERVFAIL; a REFUSED or NOTIMP kept as
    // bytes is the server's own answer again, as CoreDNS's cache never holds those.
    const kept = rcode === 0 || rcode === 3 || rcode === 2;
    const hit = kept && (q.cached || source === 'cache');
    const plugin = hit
      ? PLUGIN_CACHE
      : source === 'forward'
        ? PLUGIN_FORWARD
        : reply[2]! & AA
          ? PLUGIN_KUBERNETES
          : PLUGIN_SERVER;
    const block = server * ZONES.length + zone; // view has one value
    this.requests.add(((block * 2 + proto) * 2 + family(q)) * TYPES + type);
    this.responses.add(
      (block * RCODES.length + Math.min(rcode, RCODE_COUNT)) * PLUGINS.length + plugin,
    );
    this.duration.observe(block * TYPES + type, q.durationMs / 1000);
    this.requestSize.observe(block * 2 + proto, q.query.length);
    this.responseSize.observe(block * 2 + proto, reply.length);
    if (facts > 0 && facts & DO_BIT) this.doRequests.add(block);
    if (hit) this.cacheHits.add(server * 2 + (isDenial(reply, rcode) ? 1 : 0));
    else if (zone === ZONE_ROOT && rcode !== 1 && rcode !== 4) this.cacheMisses.add(server);
  }
}

/** "1" IPv4 (IPv4-mapped IPv6 included, as Go's To4 sees it), "2" IPv6. */
function family(q: ObservedQuery): number {
  const { family, address } = q.client;
  return family === 'IPv6' && !(address.startsWith('::ffff:') && address.includes('.')) ? 1 : 0;
}

/** The names before CoreDNS 1.7, summed from today's at scrape time (metrics.legacyNames). */
function legacyFamilies(m: DnsMetrics): SeriesFamily[] {
  return [
    new DerivedCounter(
      'coredns_dns_request_count_total',
      'Counter of DNS requests made per zone, protocol and family.',
      m.requests,
      ['server', 'zone', 'proto', 'family'],
    ),
    new DerivedCounter(
      'coredns_dns_request_type_count_total',
      'Counter of DNS requests per type, per zone.',
      m.requests,
      ['server', 'zone', 'type'],
    ),
    new DerivedCounter(
      'coredns_dns_response_rcode_count_total',
      'Counter of response status codes.',
      m.responses,
      ['server', 'zone', 'rcode'],
    ),
    new DerivedCounter(
      'coredns_dns_request_do_count_total',
      'Counter of DNS requests with DO bit set per zone.',
      m.doRequests,
      ['server', 'zone'],
    ),
  ];
}
