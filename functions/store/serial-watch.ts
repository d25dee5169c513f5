// Serial validation for the edge cache (cached.ts): instead of re-reading every name every TTL, the
// cache reads one per-cluster change counter (the sync's serial marker, store/dynamodb/
// codec-serial.ts) at most once per `checkMs`, and keeps answering a name for as long as nothing
// changed it since it was read. The sync writes its items, then a change-log item naming the owner
// names it changed (codec-change-log.ts), then the counter, so data read after a value was seen is
// at least as new as that value, and the log says which names the value changed.
//
// An entry is tagged when its read starts with `seen`, the epoch known (the number of distinct
// counter values seen, in order), and `base`, the newest epoch seen at least settleMs before (4.:
// the writes it signals are in the read; 0: none). It is valid when:
// 1. it is younger than the TTL, unless 3. revalidates it; or
// 2. the last check succeeded, no change after `base` named its name (3.) or revalidated every
//    entry, and it is younger than `maxAgeMs`.
// 3. When the counter moves from a to b, the change log of a+1..b names the changed owner names:
//    entries of those names whose read started before b was seen are revalidated on next use,
//    young or not (a created name's negative entry too); every other entry stays valid on the
//    counter. When the log cannot say (a move longer than the log kept, an item missing, one that
//    says everything changed, the log unreadable or not given), every entry read before the change
//    is revalidated on next use instead: after a TTL without such a change, young ones too (the
//    change shows within one check); else only those older than the TTL, so at most one such
//    sweep happens per TTL and the cache reads at most about what TTL-only reads.
// 4. Reads are eventually consistent (AWS "Read consistency": "usually within one second"): a
//    read started less than `settleMs` after a counter value was first seen may miss the writes
//    that value signals, so its `base` is an older epoch (none: valid for the TTL only).
// 5. Without a usable counter (check failed: retried after `recheckMs`; no marker: an older sync)
//    every entry is valid for the TTL only: TTL-only caching, with cached.ts's stale-on-error.
// Entries are revalidated on next use, never dropped at once: a failed re-read still answers stale.
import { ChangedNames } from './changed-names.ts';

export interface SerialSource {
  /** The change counter; undefined when there is none (TTL-only); rejects when it cannot be read. */
  read: () => Promise<number | undefined>;
  /** The owner names changed by the counter values after..upTo (the change log); undefined when it
   *  cannot say name by name; rejects when it cannot be read. Absent: every change is 3.'s sweep. */
  changes?: (after: number, upTo: number) => Promise<readonly string[] | undefined>;
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
/** Changed names held at most (with repeats); past it the oldest changes are dropped, as if swept. */
export const MAX_CHANGED_NAMES = 100_000;

/** What an entry remembers of the counter when its read started. */
export interface SerialTag {
  /** The epoch known; 0: no counter was known. */
  seen: number;
  /** The newest epoch first seen at least settleMs before (4.); 0: none. */
  base: number;
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
  /** Of which revalidated name by name (3.), and the names they named. */
  namedChanges = 0;
  namesChanged = 0;
  /** Of which revalidated every entry (3.: the log could not say). */
  sweeps = 0;

  readonly #source: Required<Omit<SerialSource, 'changes'>> & Pick<SerialSource, 'changes'>;
  readonly #o: SerialWatchOptions;
  #value: number | undefined;
  #epoch = 0;
  /** Epochs lately first seen, and when, oldest first: the newest settled one and any younger (4.). */
  #recent: { epoch: number; at: number }[] = [];
  /** When the last sweep (3.) was seen; -Infinity: none yet, the first counts as after a quiet TTL. */
  #lastSweep = -Infinity;
  /** Entries whose read started before this epoch are invalid, however young. */
  #strict = 0;
  /** Entries valid on the counter alone (2.) have a base of at least this epoch. */
  #floor = 1;
  readonly #changed = new ChangedNames();
  /** The last check succeeded and found a marker. */
  #known = false;
  #nextCheck = -Infinity;
  #inflight: Promise<void> | undefined;

  constructor(source: SerialSource, options: SerialWatchOptions) {
    const checkMs = source.checkMs ?? DEFAULT_CHECK_MS;
    if (!(checkMs > 0)) throw new RangeError(`serial checkMs must be positive, got ${checkMs}`);
    this.#source = {
      ...source,
      checkMs,
      settleMs: source.settleMs ?? DEFAULT_SETTLE_MS,
      maxAgeMs: source.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    };
    this.#o = options;
  }

  /** A lookup must await check() first: one is in flight, or the last is checkMs old. */
  due(now: number): boolean {
    return this.#inflight !== undefined || now >= this.#nextCheck;
  }

  /** Reads the counter, and the change log when it moved (single-flight); never rejects. */
  check(): Promise<void> {
    if (!this.#inflight) {
      this.#nextCheck = this.#o.now() + this.#source.checkMs;
      this.checks++;
      this.#inflight = this.#read().finally(() => (this.#inflight = undefined));
    }
    return this.#inflight;
  }

  /** Changed names held (with repeats) for 3. */
  get namesHeld(): number {
    return this.#changed.held;
  }

  /** The tag for a read that starts now. */
  tag(now: number): SerialTag {
    if (!this.#known) return { seen: this.#value === undefined ? 0 : this.#epoch, base: 0 };
    let base = 0;
    for (const r of this.#recent) if (now - r.at >= this.#source.settleMs) base = r.epoch;
    return { seen: this.#epoch, base };
  }

  /** Whether the entry of `name` read under `tag`, completed at `readAt`, may answer now. */
  valid(tag: SerialTag, name: string, readAt: number, now: number): boolean {
    if (tag.seen < this.#strict) return false;
    const changed = this.#changed.at(name);
    if (changed > tag.seen) return false;
    const age = now - readAt;
    if (age < this.#o.ttlMs) return true;
    return (
      this.#known && tag.base >= this.#floor && changed <= tag.base && age < this.#source.maxAgeMs
    );
  }

  async #read(): Promise<void> {
    let value: number | undefined;
    try {
      value = await this.#source.read();
    } catch {
      value = undefined;
    }
    if (value === undefined) {
      this.unusable++;
      this.#known = false;
      this.#nextCheck = Math.max(this.#nextCheck, this.#o.now() + this.#o.recheckMs);
      return;
    }
    this.#known = true;
    if (value === this.#value) return;
    const from = this.#value;
    let names: readonly string[] | undefined;
    if (from !== undefined && this.#source.changes)
      names = await this.#source.changes(from, value).catch(() => undefined);
    const now = this.#o.now();
    this.#value = value;
    const epoch = ++this.#epoch;
    if (from !== undefined) {
      this.changes++;
      if (names) {
        this.namedChanges++;
        this.namesChanged += names.length;
        this.#changed.add(epoch, now, names);
      } else {
        this.sweeps++;
        this.#floor = epoch;
        if (now - this.#lastSweep >= this.#o.ttlMs) this.#strict = epoch;
        this.#lastSweep = now;
      }
    }
    this.#recent.push({ epoch, at: now });
    while (this.#recent.length > 1 && now - this.#recent[1]!.at >= this.#source.settleMs)
      this.#recent.shift();
    // A change is needed by entries read before it; past maxAge (or the TTL) they cannot answer.
    const horizon = Math.max(this.#o.ttlMs, this.#source.maxAgeMs) + this.#source.settleMs;
    const dropped = this.#changed.drop(
      now - horizon,
      Math.min(this.#strict, this.#floor),
      MAX_CHANGED_NAMES,
    );
    this.#strict = Math.max(this.#strict, dropped);
    this.#floor = Math.max(this.#floor, dropped);
    this.#o.onChange?.();
  }
}
