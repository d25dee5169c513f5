// CoreDNS `cache` series read at scrape time from the caches' own plain numbers: entries held
// (the answer cache and the forward cache together, as one cache of the `.` block), stale
// answers served and prefetches. Hits and misses are counted per query (dns-metrics.ts).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface CacheSources {
  /** The `server` label: the port-53 listener, as the cache belongs to the server block. */
  server(): string;
  /** The resolver's answer cache (core/answer-cache.ts). */
  answerCache(): { entryKinds(): { success: number; denial: number } } | undefined;
  /** The forward cache's counters (forward/forward-zones.ts), when forwarding is on. */
  forwardCache():
    | {
        cacheSizes: { positive: number; negative: number };
        cache: { staleServed: number; prefetchesDone: number };
      }
    | undefined;
}

const ZONES = '.';
const VIEW = '';

export function registerCacheMetrics(registry: Registry, sources: CacheSources): void {
  new Gauge({
    name: 'coredns_cache_entries',
    help: 'The number of elements in the cache.',
    labelNames: ['server', 'type', 'zones', 'view'],
    registers: [registry],
    collect() {
      const answers = sources.answerCache()?.entryKinds() ?? { success: 0, denial: 0 };
      const forwarded = sources.forwardCache()?.cacheSizes ?? { positive: 0, negative: 0 };
      const server = sources.server();
      this.reset();
      this.set(
        { server, type: 'success', zones: ZONES, view: VIEW },
        answers.success + forwarded.positive,
      );
      this.set(
        { server, type: 'denial', zones: ZONES, view: VIEW },
        answers.denial + forwarded.negative,
      );
    },
  });
  const counter = (
    name: string,
    help: string,
    read: (c: { staleServed: number; prefetchesDone: number }) => number,
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['server', 'zones', 'view'],
      registers: [registry],
      collect() {
        const counters = sources.forwardCache()?.cache;
        this.reset();
        this.inc(
          { server: sources.server(), zones: ZONES, view: VIEW },
          counters ? read(counters) : 0,
        );
      },
    });
  counter(
    'coredns_cache_served_stale_total',
    'The number of requests served from stale cache entries.',
    (c) => c.staleServed,
  );
  counter(
    'coredns_cache_prefetch_total',
    'The number of times the cache has prefetched a cached item.',
    (c) => c.prefetchesDone,
  );
}
