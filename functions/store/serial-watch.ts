// Serial validation for the edge cache (cached.ts): instead of re-reading every name every TTL, the
// cache reads one per-cluster change counter (the sync's serial marker, store/dynamodb/
// codec-serial.ts) at most once per `checkMs`, and keeps answering a name for as long as nothing
// changed since it was read. The counter is bumped after the items are written, so data read
// after a value was seen is at least as new as that value.
//
// An entry is tagged with the epoch (the number of distinct counter values seen, in order) known
// when its read started, and is valid when:
// 1. it is younger than the TTL, unless a change after a quiet period invalidated it (3.); or
// 2. the counter has not changed since (same epoch), the last check succeeded, the entry is
//    "confirmed" (4.) and younger than `maxAgeMs`.
// 3. A change seen after the counter held for at least a TTL revalidates every entry read before
//    it on next use, young or not: an isolated change shows within one check. A change that
//    follows another within a TTL (a busy cluster) revalidates only entries older than the TTL, so
//    at most one such sweep happens per TTL and a busy cluster reads about what TTL-only reads.
// 4. Reads are eventually consistent (AWS "Read consistency": "usually within one second"): a
//    read started less than `settleMs` after a counter value was first seen may miss the writes
//    that value signals, so its entry is valid for the TTL only, like TTL-only caching.
// 5. Without a usable counter (check failed: retried after `recheckMs`; no marker: an older sync)
//    every entry is valid for the TTL only: TTL-only caching, with cached.ts's stale-on-error.
// Entries are revalidated on next use, never dropped at once: a failed re-read still answers stale.

export interface SerialSource {
  /** The change counter; undefined when there is none (TTL-only); rejects when it cannot be read. */
  read: () => Promise<number | undefined>;
  /** At most one read per this many milliseconds (default 1 s). */
  checkMs?: number;
  /** See 4. above (default 1 s). */
  settleMs?: number;
  /** Longest an entry answers on the counter alone (default 1 h): bounds a change written without
   *  a bump (a sync that died between its items and the marker, a sync from before the marker). */
  maxAgeMs?: number;
}

export const DEFAULT_CHECK_MS = 1_000;
export const DEFAULT_SETTLE_MS = 1_000;
export const DEFAULT_MAX_AGE_MS = 3_600_000;

/** What an entry remembers of the counter when its read started. */
export interface SerialTag {
  /** 0: read while no counter was known. */
  epoch: number;
  /** Started at least settleMs after the epoch was first seen. */
  confirmed: boolean;
}

export interface SerialWatchOptions {
  ttlMs: number;
  /** After a failed check (or no marker), the next one waits this long. */
  recheckMs: number;
  now: () => number;
  /** Called when the counter changes (the cache's version moves). */
  onChange?: () => void;
}

export class SerialWatch {
  /** Counter reads started. */
  checks = 0;
  /** Checks that failed, or found no marker. */
  unusable = 0;
  /** Counter changes seen. */
  changes = 0;

  readonly #source: Required<SerialSource>;
  readonly #o: SerialWatchOptions;
  #value: number | undefined;
  #epoch = 0;
  /** When the current epoch was first seen (for settleMs). */
  #seenAt = 0;
  /** Since when the counter is known unchanged, for 3.; -Infinity for the first value (no sign of a busy cluster). */
  #stableSince = -Infinity;
  /** Entries of an epoch below this are invalid, however young. */
  #strict = 0;
  /** The last check succeeded and found a marker. */
  #known = false;
  #nextCheck = -Infinity;
  #inflight: Promise<void> | undefined;

  constructor(source: SerialSource, options: SerialWatchOptions) {
    const checkMs = source.checkMs ?? DEFAULT_CHECK_MS;
    if (!(checkMs > 0)) throw new RangeError(`serial checkMs must be positive, got ${checkMs}`);
    this.#source = { checkMs, settleMs: source.settleMs ?? DEFAULT_SETTLE_MS, maxAgeMs: source.maxAgeMs ?? DEFAULT_MAX_AGE_MS, read: source.read };
    this.#o = options;
  }

  /** A lookup must await check() first: one is in flight, or the last is checkMs old. */
  due(now: number): boolean {
    return this.#inflight !== undefined || now >= this.#nextCheck;
  }

  /** Reads the counter (single-flight); never rejects. */
  check(): Promise<void> {
    if (!this.#inflight) {
      this.#nextCheck = this.#o.now() + this.#source.checkMs;
      this.checks++;
      this.#inflight = this.#read().finally(() => (this.#inflight = undefined));
    }
    return this.#inflight;
  }

  /** The tag for a read that starts now. */
  tag(now: number): SerialTag {
    if (!this.#known) return { epoch: this.#value === undefined ? 0 : this.#epoch, confirmed: false };
    return { epoch: this.#epoch, confirmed: now - this.#seenAt >= this.#source.settleMs };
  }

  /** Whether an entry read under `tag`, completed at `readAt`, may answer now. */
  valid(tag: SerialTag, readAt: number, now: number): boolean {
    if (tag.epoch < this.#strict) return false;
    const age = now - readAt;
    if (age < this.#o.ttlMs) return true;
    return this.#known && tag.confirmed && tag.epoch === this.#epoch && age < this.#source.maxAgeMs;
  }

  async #read(): Promise<void> {
    let value: number | undefined;
    try {
      value = await this.#source.read();
    } catch {
      value = undefined;
    }
    const now = this.#o.now();
    if (value === undefined) {
      this.unusable++;
      this.#known = false;
      this.#nextCheck = Math.max(this.#nextCheck, now + this.#o.recheckMs);
      return;
    }
    this.#known = true;
    if (value === this.#value) return;
    if (this.#value !== undefined) {
      this.changes++;
      if (now - this.#stableSince >= this.#o.ttlMs) this.#strict = this.#epoch + 1;
      this.#stableSince = now;
    }
    this.#value = value;
    this.#epoch++;
    this.#seenAt = now;
    this.#o.onChange?.();
  }
}
