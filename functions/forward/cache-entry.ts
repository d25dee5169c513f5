// One entry of the forward cache (forward-cache.ts, docs/architecture.md §6.12): its answer packed
// (packed-sections.ts) and numbers, no per-entry closures or records, so that tens of thousands of
// entries stay small and give the garbage collector little to trace. Pure: `now` (ms) is an
// argument.
import type { Sections } from '../core/sections.ts';
import type { ResolvedCacheOptions } from './cache-options.ts';
import { unpackSections, type PackedSections } from './packed-sections.ts';

export type EntryKind = 'positive' | 'denial' | 'failure';
type Prefetch = ResolvedCacheOptions['prefetch'];

export class CacheEntry {
  /** Prefetch popularity (CoreDNS's freq): hits with no gap of `durationMs` or more. */
  hits = 0;
  /** When the last of `hits` was (meaningless while `hits` is 0). */
  lastHit = 0;
  prefetchReported = false;
  /** After an upstream failure: no new upstream attempt before this time. */
  recheckAt = 0;

  constructor(
    readonly kind: EntryKind,
    /** TTLs as stored: capped to the lifetime, an authority SOA to its negative TTL. */
    readonly sections: PackedSections,
    readonly storedAt: number,
    readonly lifetimeMs: number,
  ) {}

  /** A remembered upstream failure: no answer, never read (lookups say 'failed'; never stale). */
  static failure(now: number, servfailMs: number): CacheEntry {
    return new CacheEntry('failure', '', now, servfailMs);
  }

  get expiresAt(): number {
    return this.storedAt + this.lifetimeMs;
  }

  /** Whether it can answer: fresh, or expired less than `serveStaleMs` ago (RFC 8767). */
  servable(now: number, serveStaleMs: number): boolean {
    return this.kind !== 'failure' && now < this.expiresAt + serveStaleMs;
  }

  /** Its answer now: TTLs decremented by its age, and how long a copy may stand in for it. */
  aged(now: number, prefetch: Prefetch): Sections {
    const sections = unpackSections(this.sections, Math.floor((now - this.storedAt) / 1000));
    sections.cacheableMs = Math.max(0, this.lookupsNeededAt(prefetch) - now);
    return sections;
  }

  /**
   * From when on the cache must see its lookups again: its expiry or, with prefetch, the start of
   * the prefetch window (a copy answered elsewhere would hide the popularity that triggers the
   * refresh; the threshold as in `prefetchDue`).
   */
  lookupsNeededAt(prefetch: Prefetch): number {
    if (!prefetch) return this.expiresAt;
    const window = Math.max(1000, Math.ceil((this.lifetimeMs * prefetch.percentage) / 100));
    return this.expiresAt - window;
  }

  /** Counts a fresh hit; true, once, when that makes a refresh due. */
  prefetchDue(now: number, prefetch: Prefetch): boolean {
    if (!prefetch) return false;
    this.hits = this.hits > 0 && now - this.lastHit < prefetch.durationMs ? this.hits + 1 : 1;
    this.lastHit = now;
    if (this.prefetchReported || this.recheckAt > now || this.hits < prefetch.amount) return false;
    // CoreDNS: when at most PERCENTAGE of the lifetime is left, or at the latest 1 s before expiry.
    if (now < this.lookupsNeededAt(prefetch)) return false;
    this.prefetchReported = true;
    return true;
  }
}
