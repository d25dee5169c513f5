// Forward zones, as CoreDNS server blocks route them: `.` for every name, or stub zones such as
// `example.com { forward . 10.0.0.10 }`; the longest zone that holds a name picks its upstream
// pool. One forward cache in front of all of them (CoreDNS's `cache` in the same block).
import type { Sections } from '../core/sections.ts';
import type { ForwardFlags, ForwardQuestion, Forwarder } from '../core/forwarder.ts';
import { CachingForwarder, type CachingForwarderCounters } from './caching-forwarder.ts';
import { ForwardCache } from './forward-cache.ts';
import type { ForwardCacheOptions } from './cache-options.ts';
import type { PoolStats, UpstreamPool } from './upstream-pool.ts';

export interface ForwardZone {
  /** Canonical (lowercase, no trailing dot); '' is the root, `.`. */
  zone: string;
  pool: UpstreamPool;
}

export interface ForwardCounters {
  cache: CachingForwarderCounters;
  /** Entries the cache holds, per LRU. */
  cacheSizes: { positive: number; negative: number };
  pools: Record<string, PoolStats>;
}

/** Whether `name` is `zone` or under it (label boundaries; '' holds every name). */
function inZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

export class ForwardZones implements Forwarder {
  readonly #zones: ForwardZone[];
  readonly #cached: CachingForwarder;

  constructor(zones: readonly ForwardZone[], cache: ForwardCacheOptions, now: () => number) {
    // Longest zone first: the first that holds a name is its longest match.
    this.#zones = [...zones].sort((a, b) => b.zone.length - a.zone.length);
    this.#cached = new CachingForwarder({
      cache: new ForwardCache(cache),
      now,
      handles: (name) => this.#zoneOf(name) !== undefined,
      ask: (question, flags) => this.#zoneOf(question.name)!.pool.ask(question, flags),
    });
  }

  handles(name: string): boolean {
    return this.#cached.handles(name);
  }

  forward(question: ForwardQuestion, flags: ForwardFlags): Promise<Sections> {
    return this.#cached.forward(question, flags);
  }

  isLoop(id: number, question: ForwardQuestion, mark: Uint8Array): boolean {
    return this.#zones.some((z) => z.pool.isOwnQuery(id, question, mark));
  }

  /** Cache and pool counters, for metrics and logs. */
  get counters(): ForwardCounters {
    return {
      cache: this.#cached.counters,
      cacheSizes: this.#cached.sizes(),
      pools: Object.fromEntries(this.#zones.map((z) => [z.zone || '.', z.pool.stats])),
    };
  }

  close(): void {
    for (const z of this.#zones) z.pool.close();
  }

  #zoneOf(name: string): ForwardZone | undefined {
    return this.#zones.find((z) => inZone(name, z.zone));
  }
}
