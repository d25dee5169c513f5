// The Forwarder the resolver sees (core/forwarder.ts): a ForwardCache in front of the upstream
// pool, with single-flight misses, background prefetch and serve-stale (RFC 8767). Never rejects.
import { emptySections, type Sections } from '../core/sections.ts';
import type { ForwardFlags, ForwardQuestion, Forwarder } from '../core/forwarder.ts';
import { cacheKey, type ForwardCache, type ForwardCacheCounters } from './forward-cache.ts';
import { refreshesData } from './response-kind.ts';

/** The upstream pool: may reject, or resolve SERVFAIL; both are an upstream failure. */
export type AskUpstream = (question: ForwardQuestion, flags: ForwardFlags) => Promise<Sections>;

export interface CachingForwarderOptions {
  cache: ForwardCache;
  ask: AskUpstream;
  /** Milliseconds; the cache itself never reads a clock. */
  now: () => number;
  /** From config: the names forwarded (`.` for all, or the stub zones). */
  handles: (name: string) => boolean;
  /**
   * RFC 8767 §5's client response timer: a query that has a stale answer waits this long for the
   * upstream, then gets the stale answer while the request goes on and refreshes the cache.
   * Default 1,800 ms (the RFC's suggestion); 0 = wait for the upstream.
   */
  staleAfterMs?: number;
}

export interface CachingForwarderCounters extends ForwardCacheCounters {
  /** Upstream requests sent (misses and prefetches; single-flight: one per key at a time). */
  asks: number;
  /** Queries that waited for a request already in flight for their key. */
  coalesced: number;
  /** Background refreshes started because the cache reported "prefetch due". */
  prefetchesDone: number;
  /** Upstream requests that rejected or answered SERVFAIL. */
  upstreamFailures: number;
}

/** What one upstream request came to, shared by every query that waited for it. */
type Outcome = { ok: true; sections: Sections } | { ok: false; fallback: Sections };

export class CachingForwarder implements Forwarder {
  readonly #cache: ForwardCache;
  readonly #ask: AskUpstream;
  readonly #now: () => number;
  readonly #handles: (name: string) => boolean;
  readonly #staleAfterMs: number;
  readonly #inFlight = new Map<string, Promise<Outcome>>();
  #asks = 0;
  #coalesced = 0;
  #prefetchesDone = 0;
  #upstreamFailures = 0;

  constructor(options: CachingForwarderOptions) {
    this.#cache = options.cache;
    this.#ask = options.ask;
    this.#now = options.now;
    this.#handles = options.handles;
    this.#staleAfterMs = options.staleAfterMs ?? 1800;
  }

  /** A plain snapshot, for metrics. */
  get counters(): CachingForwarderCounters {
    const c = this.#cache.counters;
    return {
      ...c,
      evictions: { ...c.evictions },
      asks: this.#asks,
      coalesced: this.#coalesced,
      prefetchesDone: this.#prefetchesDone,
      upstreamFailures: this.#upstreamFailures,
    };
  }

  /** Entries held by the cache, per LRU (a gauge for metrics). */
  sizes(): { positive: number; negative: number } {
    return this.#cache.sizes();
  }

  /** Requests in flight (one per key). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  handles(name: string): boolean {
    return this.#handles(name);
  }

  async forward(question: ForwardQuestion, flags: ForwardFlags): Promise<Sections> {
    try {
      const key = cacheKey(question, flags);
      const found = this.#cache.lookup(key, this.#now());
      if (found.status === 'hit') {
        if (found.prefetch) this.#prefetch(key, question, flags);
        return fromCache(found.sections);
      }
      if (found.status === 'failed')
        return fromCache(this.#cache.stale(key, this.#now()) ?? emptySections('SERVFAIL'));
      let request = this.#inFlight.get(key);
      if (request) this.#coalesced++;
      else request = this.#start(key, question, flags);
      const outcome =
        this.#staleAfterMs > 0 && this.#cache.hasStale(key, this.#now())
          ? await within(request, this.#staleAfterMs)
          : await request;
      if (outcome === 'late') {
        const stale = this.#cache.stale(key, this.#now());
        return stale ? fromCache(stale) : emptySections('SERVFAIL');
      }
      if (outcome.ok) return copySections(outcome.sections);
      // RFC 8767 §4: each query that met the failure gets the stale answer when there is one.
      const stale = this.#cache.stale(key, this.#now());
      return stale ? fromCache(stale) : copySections(outcome.fallback);
    } catch {
      return emptySections('SERVFAIL');
    }
  }

  /** Refreshes a popular entry before it expires; the clients keep getting the cached answer. */
  #prefetch(key: string, question: ForwardQuestion, flags: ForwardFlags): void {
    if (this.#inFlight.has(key)) return;
    this.#prefetchesDone++;
    void this.#start(key, question, flags);
  }

  /** One upstream request for `key`, registered as in flight until it settles; never rejects. */
  #start(key: string, question: ForwardQuestion, flags: ForwardFlags): Promise<Outcome> {
    const request = this.#request(key, question, flags).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, request);
    return request;
  }

  async #request(key: string, question: ForwardQuestion, flags: ForwardFlags): Promise<Outcome> {
    this.#asks++;
    let answer: Sections | undefined;
    try {
      answer = await this.#ask(question, flags);
    } catch {
      answer = undefined;
    }
    try {
      const now = this.#now();
      if (!answer || answer.rcode === 'SERVFAIL') {
        this.#upstreamFailures++;
        this.#cache.fail(key, now);
        return { ok: false, fallback: emptySections('SERVFAIL') };
      }
      const sections = this.#cache.store(key, answer, now);
      // RFC 8767 §4: only NOERROR and NXDOMAIN refresh the data; a REFUSED (a full pool) or a
      // FORMERR leaves a stale answer usable, and is passed on when there is none.
      return refreshesData(answer) ? { ok: true, sections } : { ok: false, fallback: sections };
    } catch {
      return { ok: false, fallback: emptySections('SERVFAIL') };
    }
  }
}

/** Marks sections the cache answered (core/sections.ts `cached`); they are the caller's own copy. */
const fromCache = (s: Sections): Sections => ((s.cached = true), s);

/** Each query gets its own arrays (the records themselves are never mutated); the cache's marks stay. */
const copySections = (s: Sections): Sections => ({
  rcode: s.rcode,
  aa: false,
  answers: [...s.answers],
  authorities: [...s.authorities],
  additionals: [...s.additionals],
  ...(s.stale && { stale: true }),
  ...(s.cacheableMs !== undefined && { cacheableMs: s.cacheableMs }),
});

/** The request's outcome, or 'late' once `ms` have passed without one. */
function within(request: Promise<Outcome>, ms: number): Promise<Outcome | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  return Promise.race([request, late]).finally(() => clearTimeout(timer));
}
