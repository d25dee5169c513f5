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
import { Lru } from '../store/lru.ts';
import type { Answer } from 'dns-packet';
import type { Sections } from '../core/sections.ts';
import type { ForwardFlags, ForwardQuestion } from '../core/forwarder.ts';
import { canonicalName } from '../core/record.ts';
import {
  STALE_TTL,
  resolveCacheOptions,
  type ForwardCacheOptions,
  type ResolvedCacheOptions,
} from './cache-options.ts';
import { answerTtl, isOpt, negativeTtl, recordTtl, responseKind } from './response-kind.ts';

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

type EntryKind = 'positive' | 'denial' | 'failure';

interface Entry {
  kind: EntryKind;
  /** TTLs as stored: capped to the lifetime, an authority SOA to its negative TTL. */
  sections: Sections;
  storedAt: number;
  lifetimeMs: number;
  expiresAt: number;
  /** Prefetch popularity (CoreDNS's freq): hits with no gap of `durationMs` or more. */
  hits: number;
  lastHit: number;
  prefetchReported: boolean;
  /** After an upstream failure: no new upstream attempt before this time. */
  recheckAt: number;
}

/** The cache key of a question; independent of the query ID and of the name's case. */
export function cacheKey(question: ForwardQuestion, flags: ForwardFlags): string {
  const bits = `${flags.cd ? 'cd' : ''}${flags.do ? 'do' : ''}`;
  return `${canonicalName(question.name)}|${question.type.toUpperCase()}|${question.class.toUpperCase()}|${bits}`;
}

/** A copy of `records` with TTLs mapped (OPT untouched). */
const mapTtls = (records: readonly Answer[], ttl: (r: Answer) => number): Answer[] =>
  records.map((r) => (isOpt(r) ? r : ({ ...r, ttl: ttl(r) } as Answer)));

function copy(sections: Sections, ttl: (r: Answer, authority: boolean) => number): Sections {
  return {
    rcode: sections.rcode,
    aa: false,
    answers: mapTtls(sections.answers, (r) => ttl(r, false)),
    authorities: mapTtls(sections.authorities, (r) => ttl(r, true)),
    additionals: mapTtls(sections.additionals, (r) => ttl(r, false)),
  };
}

const failureSections = (): Sections => ({
  rcode: 'SERVFAIL',
  aa: false,
  answers: [],
  authorities: [],
  additionals: [],
});

export class ForwardCache {
  readonly counters: ForwardCacheCounters = {
    hits: 0,
    misses: 0,
    prefetches: 0,
    staleServed: 0,
    evictions: { positive: 0, negative: 0 },
  };
  readonly options: ResolvedCacheOptions;
  readonly #positive: Lru<string, Entry>;
  readonly #negative: Lru<string, Entry>;

  constructor(options: ForwardCacheOptions = {}) {
    this.options = resolveCacheOptions(options);
    const evictions = this.counters.evictions;
    this.#positive = new Lru<string, Entry>(
      this.options.success.capacity,
      () => evictions.positive++,
    );
    this.#negative = new Lru<string, Entry>(
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
        sections: this.#aged(entry, now),
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
      return failureSections();
    }
    const asIs = copy(sections, recordTtl);
    if (kind === 'other') return asIs;
    const current = this.#peek(key);
    if (kind === 'denial' && current?.kind === 'positive' && now < current.expiresAt) return asIs;
    this.#delete(key);
    const ttl = answerTtl(sections);
    const limits = kind === 'positive' ? this.options.success : this.options.denial;
    const lifetime = ttl === undefined ? 0 : Math.min(Math.max(ttl, limits.minTtl), limits.maxTtl);
    if (lifetime <= 0) return asIs;
    const stored = copy(sections, (r, authority) =>
      Math.min(authority && r.type === 'SOA' ? negativeTtl(r) : recordTtl(r), lifetime),
    );
    const entry = this.#entry(kind, stored, now, lifetime * 1000);
    (kind === 'positive' ? this.#positive : this.#negative).set(key, entry);
    return this.#aged(entry, now);
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
    this.#negative.set(
      key,
      this.#entry('failure', failureSections(), now, this.options.servfailMs),
    );
  }

  /**
   * For the caller whose upstream just failed (RFC 8767): the entry's answer while it is within
   * `serveStaleMs` past its expiry, every TTL 30 s (§4); still fresh, as `lookup` would age it.
   * Never a remembered failure.
   */
  /** Whether `stale()` would answer now (without counting it). */
  hasStale(key: string, now: number): boolean {
    const entry = this.#peek(key);
    return entry !== undefined && this.#servable(entry, now);
  }

  stale(key: string, now: number): Sections | undefined {
    const entry = this.#peek(key);
    if (!entry || !this.#servable(entry, now)) return undefined;
    if (now < entry.expiresAt) return this.#aged(entry, now);
    this.counters.staleServed++;
    return { ...copy(entry.sections, () => STALE_TTL), stale: true };
  }

  #entry(kind: EntryKind, sections: Sections, now: number, lifetimeMs: number): Entry {
    const expiresAt = now + lifetimeMs;
    return {
      kind,
      sections,
      storedAt: now,
      lifetimeMs,
      expiresAt,
      hits: 0,
      lastHit: Number.NEGATIVE_INFINITY,
      prefetchReported: false,
      recheckAt: 0,
    };
  }

  #servable(entry: Entry, now: number): boolean {
    return entry.kind !== 'failure' && now < entry.expiresAt + this.options.serveStaleMs;
  }

  /** The entry's answer now: TTLs decremented by its age, and how long a copy may stand in for it. */
  #aged(entry: Entry, now: number): Sections {
    const age = Math.floor((now - entry.storedAt) / 1000);
    const sections = copy(entry.sections, (r) => Math.max(0, recordTtl(r) - age));
    sections.cacheableMs = Math.max(0, this.#lookupsNeededAt(entry) - now);
    return sections;
  }

  /**
   * From when on this cache must see the entry's lookups again: its expiry or, with prefetch, the
   * start of the prefetch window (a copy answered elsewhere would hide the popularity that
   * triggers the refresh; the threshold as in #prefetchDue).
   */
  #lookupsNeededAt(entry: Entry): number {
    const p = this.options.prefetch;
    if (!p) return entry.expiresAt;
    return entry.expiresAt - Math.max(1000, Math.ceil((entry.lifetimeMs * p.percentage) / 100));
  }

  #prefetchDue(entry: Entry, now: number): boolean {
    const p = this.options.prefetch;
    if (!p) return false;
    entry.hits = now - entry.lastHit < p.durationMs ? entry.hits + 1 : 1;
    entry.lastHit = now;
    if (entry.prefetchReported || entry.recheckAt > now || entry.hits < p.amount) return false;
    // CoreDNS: when at most PERCENTAGE of the lifetime is left, or at the latest 1 s before expiry.
    if (now < this.#lookupsNeededAt(entry)) return false;
    entry.prefetchReported = true;
    this.counters.prefetches++;
    return true;
  }

  #peek(key: string): Entry | undefined {
    return this.#positive.peek(key) ?? this.#negative.peek(key);
  }

  #delete(key: string): void {
    this.#positive.delete(key);
    this.#negative.delete(key);
  }
}
