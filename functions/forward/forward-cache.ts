// The cache of forwarded answers (docs/architecture.md §6.12). Pure: no clock, `now` (ms) is an
// argument of every call; the LRUs (store/lru.ts) never read a clock.
//
// - Keys: canonical name, type, class and the CD/DO bits (they change the upstream's answer,
//   RFC 4035 §3.2), never the query ID or the name's case.
// - One entry per key, in one of two LRUs: positive (NOERROR with answers) or negative (denials,
//   RFC 2308, and remembered upstream failures, like CoreDNS's denial cache).
// - Reads return copies with every TTL decremented by the age (RFC 1035 §6.1, RFC 2181 §8:
//   never below 0); OPT records are left as they are. A fresh read says for how long a copy may
//   answer in its place (`cacheableMs`: until expiry, or until the prefetch window opens); a
//   stale one (RFC 8767) is marked `stale`.
// - Replacement (RFC 8767 §4: NOERROR and NXDOMAIN refresh the data, any other rcode leaves the
//   previous state intact): a positive answer replaces anything; a denial replaces anything but a
//   fresh positive (an upstream pool that disagrees with itself, or a prefetch that loses a race,
//   must not hide an answer that is still valid); a failure replaces nothing servable: it sets
//   the entry's recheck timer instead (RFC 8767 §4: no refresh attempt more often than that).
// - An entry (cache-entry.ts) keeps its answer packed (packed-sections.ts: bytes in a string)
//   and numbers; every read decodes it. Hits of the answer cache (core/answer-cache.ts) never
//   get here.
import { Lru } from '../store/lru.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import type { ForwardFlags, ForwardQuestion } from '../core/forwarder.ts';
import {
  STALE_TTL,
  resolveCacheOptions,
  type ForwardCacheOptions,
  type ResolvedCacheOptions,
} from './cache-options.ts';
import { answerTtl, negativeTtl, recordTtl, responseKind } from './response-kind.ts';
import { copySections, packSections, unpackSections, type TtlOf } from './packed-sections.ts';
import { CacheEntry } from './cache-entry.ts';

export interface ForwardCacheCounters {
  /** Lookups answered from the cache: fresh data, or a remembered failure. */
  hits: number;
  /** Lookups that found nothing usable: the caller asks upstream. */
  misses: number;
  /** Hits that reported "prefetch due". */
  prefetches: number;
  /** Expired answers served by `stale()` (RFC 8767). */
  staleServed: number;
  /** Entries pushed out by capacity, per LRU. */
  evictions: { positive: number; negative: number };
}

export type CacheLookup =
  /** Fresh: answer this; with `prefetch`, also refresh it in the background. */
  | { status: 'hit'; sections: Sections; prefetch: boolean }
  /** The upstream failed for this key within `servfailMs`: answer `stale()`, else SERVFAIL; don't ask. */
  | { status: 'failed' }
  | { status: 'miss' };

/**
 * The cache key of a question; independent of the query ID and of the name's case. Lowered as a
 * whole: a flat string, where the pieces of a template would stay a tree of strings in the LRU.
 */
export function cacheKey(question: ForwardQuestion, flags: ForwardFlags): string {
  const { name, type, class: klass } = question;
  const bits = `${flags.cd ? 'cd' : ''}${flags.do ? 'do' : ''}`;
  return `${name.endsWith('.') ? name.slice(0, -1) : name}|${type}|${klass}|${bits}`.toLowerCase();
}

export class ForwardCache {
  readonly counters: ForwardCacheCounters = {
    hits: 0,
    misses: 0,
    prefetches: 0,
    staleServed: 0,
    evictions: { positive: 0, negative: 0 },
  };
  readonly options: ResolvedCacheOptions;
  readonly #positive: Lru<string, CacheEntry>;
  readonly #negative: Lru<string, CacheEntry>;

  constructor(options: ForwardCacheOptions = {}) {
    this.options = resolveCacheOptions(options);
    const evictions = this.counters.evictions;
    this.#positive = new Lru<string, CacheEntry>(
      this.options.success.capacity,
      () => evictions.positive++,
    );
    this.#negative = new Lru<string, CacheEntry>(
      this.options.denial.capacity,
      () => evictions.negative++,
    );
  }

  /** Entries held, per LRU (a gauge for metrics). */
  sizes(): { positive: number; negative: number } {
    return { positive: this.#positive.size, negative: this.#negative.size };
  }

  lookup(key: string, now: number): CacheLookup {
    const entry = this.#positive.get(key) ?? this.#negative.get(key);
    if (entry && now < entry.expiresAt) {
      this.counters.hits++;
      if (entry.kind === 'failure') return { status: 'failed' };
      return {
        status: 'hit',
        sections: entry.aged(now, this.options.prefetch),
        prefetch: this.#prefetchDue(entry, now),
      };
    }
    if (entry && entry.recheckAt > now) {
      this.counters.hits++;
      return { status: 'failed' };
    }
    if (entry && !this.#servable(entry, now)) this.#delete(key);
    this.counters.misses++;
    return { status: 'miss' };
  }

  /**
   * Stores an upstream's answer and returns what to answer with (a copy, TTLs as stored). A
   * SERVFAIL is remembered as a failure (`fail`); other rcodes (FORMERR, NOTIMP, REFUSED) are
   * not cached and change nothing.
   */
  store(key: string, sections: Sections, now: number): Sections {
    const kind = responseKind(sections);
    if (kind === 'failure') {
      this.fail(key, now);
      return emptySections('SERVFAIL');
    }
    if (kind === 'other') return copySections(sections, recordTtl);
    const current = this.#peek(key);
    if (kind === 'denial' && current?.kind === 'positive' && now < current.expiresAt)
      return copySections(sections, recordTtl);
    this.#delete(key);
    const ttl = answerTtl(sections);
    const limits = kind === 'positive' ? this.options.success : this.options.denial;
    const lifetime = ttl === undefined ? 0 : Math.min(Math.max(ttl, limits.minTtl), limits.maxTtl);
    if (lifetime <= 0) return copySections(sections, recordTtl);
    const stored: TtlOf = (r, authority) =>
      Math.min(authority && r.type === 'SOA' ? negativeTtl(r) : recordTtl(r), lifetime);
    const entry = new CacheEntry(kind, packSections(sections, stored), now, lifetime * 1000);
    (kind === 'positive' ? this.#positive : this.#negative).set(key, entry);
    // Aged by 0: the copy is made from the objects at hand, not decoded.
    const answer = copySections(sections, stored);
    answer.cacheableMs = Math.max(0, entry.lookupsNeededAt(this.options.prefetch) - now);
    return answer;
  }

  /**
   * Remembers that the upstream failed for `key` (RFC 2308 §7.1, RFC 9520) for `servfailMs`. An
   * entry that can still answer (fresh or stale-servable) is kept, with its recheck timer set.
   */
  fail(key: string, now: number): void {
    const current = this.#peek(key);
    if (current && this.#servable(current, now)) {
      current.recheckAt = now + this.options.servfailMs;
      // A failed prefetch may be reported again once the recheck timer has run out.
      current.prefetchReported = false;
      return;
    }
    this.#delete(key);
    this.#negative.set(key, CacheEntry.failure(now, this.options.servfailMs));
  }

  /** Whether `stale()` would answer now (without counting it). */
  hasStale(key: string, now: number): boolean {
    const entry = this.#peek(key);
    return entry !== undefined && this.#servable(entry, now);
  }

  /**
   * For the caller whose upstream just failed (RFC 8767): the entry's answer while it is within
   * `serveStaleMs` past its expiry, every TTL 30 s (§4); still fresh, as `lookup` would age it.
   * Never a remembered failure.
   */
  stale(key: string, now: number): Sections | undefined {
    const entry = this.#peek(key);
    if (!entry || !this.#servable(entry, now)) return undefined;
    if (now < entry.expiresAt) return entry.aged(now, this.options.prefetch);
    this.counters.staleServed++;
    const answer = unpackSections(entry.sections, 0, STALE_TTL);
    answer.stale = true;
    return answer;
  }

  #servable(entry: CacheEntry, now: number): boolean {
    return entry.servable(now, this.options.serveStaleMs);
  }

  #prefetchDue(entry: CacheEntry, now: number): boolean {
    const due = entry.prefetchDue(now, this.options.prefetch);
    if (due) this.counters.prefetches++;
    return due;
  }

  #peek(key: string): CacheEntry | undefined {
    return this.#positive.peek(key) ?? this.#negative.peek(key);
  }

  #delete(key: string): void {
    this.#positive.delete(key);
    this.#negative.delete(key);
  }
}
