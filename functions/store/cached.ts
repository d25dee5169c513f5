// The cached decorator of docs/architecture.md §5.5: the per-instance (Lambda) or
// per-isolate (Workers) cache in front of the DynamoDB store, so that a popular name costs one
// read per TTL (with serial validation: about one per change of that name), not one per query.
//
// - A TTL-bounded LRU of lookup results; the absent result (undefined: NXDOMAIN) is cached too
//   (negative caching, RFC 2308 §5), for the same TTL.
// - Single-flight: lookups of a name whose read is in flight wait for that read, so a burst of the
//   same miss costs one read.
// - Serve-stale (RFC 8767): when a refresh fails, the expired entry keeps answering for up to
//   `staleMs` past its TTL (default one day, within §5's "1 to 3 days"), and the name is not read
//   again for `recheckMs` (§4's failure recheck timer, 30 s). A name with no usable entry whose read
//   fails throws StoreUnavailableError: the resolver answers SERVFAIL, never NXDOMAIN.
// - Expired entries are refreshed before answering, not in the background: a Lambda instance is
//   frozen as soon as it has answered, so a background read could not be relied on.
// - Serial validation (optional, serial-watch.ts): with a `serial` source, an entry also stays
//   valid past its TTL while the cluster's change counter says nothing changed it, and a change
//   revalidates the entries of the names it changed (its change log; all entries when the log
//   cannot say) on their next use, negative entries included. The counter check is awaited by the lookups that find
//   it due (at most one read per check interval, single-flight), never left running in the
//   background, for the same reason.
//
// The core's AnswerCache must NOT be put in front of this store: it answers from encoded answers
// for as long as `version` stays the same, so it would never call lookup, no entry would be
// refreshed, and a change in DynamoDB would never be seen. `version` is still kept meaningful: it
// changes when a refresh reads something other than what was cached, when an entry is evicted (a
// later read of that name cannot be compared), and when the inner store's serial or the change
// counter moves.
import { Lru } from './lru.ts';
import type { NameNode } from '../core/record.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { SerialWatch, type SerialSource, type SerialTag } from './serial-watch.ts';

export interface CachedStoreOptions {
  /** How long a read answers without a new read (with `serial`, at least this long: serial-watch.ts).
   *  0: every lookup reads (still single-flight). */
  ttlMs: number;
  /** LRU capacity, in names. */
  maxEntries: number;
  /** How long past its TTL an entry may answer while the inner store cannot be read. */
  staleMs?: number;
  /** After a failed refresh, the stale entry answers without a new read for this long. */
  recheckMs?: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  /** The cluster's change counter (serial-watch.ts); absent: TTL-only. */
  serial?: SerialSource;
}

/** RFC 8767 §5: "a reasonable value is 1 to 3 days" for how long stale data may be served. */
export const DEFAULT_STALE_MS = 86_400_000;
/** RFC 8767 §4: "a failure recheck timer ... of 30 seconds". */
export const DEFAULT_RECHECK_MS = 30_000;

interface Entry {
  node: NameNode | undefined;
  /** When the inner store answered this. */
  readAt: number;
  /** After a failed refresh: no new read before this time. */
  recheckAt: number;
  /** With serial validation: the counter when the read started. */
  tag?: SerialTag;
}

/** One request's share of the counters below (the edge's metric lines, functions/observe/). */
export interface LookupTally {
  hits: number;
  misses: number;
  reads: number;
}

type Outcome =
  { ok: true; node: NameNode | undefined } | { ok: false; error: StoreUnavailableError };

export class CachedStore implements Store {
  /** Lookups answered by a fresh entry. */
  hits = 0;
  /** Lookups that waited for a read (started by them or already in flight). */
  misses = 0;
  /** Reads of the inner store started. */
  reads = 0;
  /** Lookups answered by an expired entry because the inner store could not be read. */
  staleServed = 0;
  version = 0;
  /** The change counter's watch, with a `serial` source. */
  readonly serialWatch: SerialWatch | undefined;

  readonly #inner: Store;
  readonly #lru: Lru<string, Entry>;
  readonly #inflight = new Map<string, Promise<Outcome>>();
  readonly #ttl: number;
  readonly #stale: number;
  readonly #recheck: number;
  readonly #now: () => number;

  constructor(inner: Store, options: CachedStoreOptions) {
    this.#inner = inner;
    this.#ttl = options.ttlMs;
    this.#stale = options.staleMs ?? DEFAULT_STALE_MS;
    this.#recheck = options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.#now = options.now ?? Date.now;
    this.serialWatch = options.serial
      ? new SerialWatch(options.serial, {
          ttlMs: this.#ttl,
          recheckMs: this.#recheck,
          now: this.#now,
          onChange: () => this.version++,
        })
      : undefined;
    this.#lru = new Lru<string, Entry>(options.maxEntries, () => this.version++);
  }

  /** Names held. */
  get size(): number {
    return this.#lru.size;
  }

  serial(): number {
    return this.#inner.serial();
  }

  /**
   * A fresh entry answers at once (synchronously), except when the serial check is due: then after
   * it. Anything else waits for a read. `tally` counts this lookup for one request as well.
   */
  lookup(name: string, tally?: LookupTally): NameNode | undefined | Promise<NameNode | undefined> {
    const watch = this.serialWatch;
    if (watch?.due(this.#now())) return watch.check().then(() => this.#lookup(name, tally));
    return this.#lookup(name, tally);
  }

  /** This store as one request sees it: its lookups also counted in `tally`. */
  tallied(tally: LookupTally): Store {
    const store = this;
    return {
      lookup: (name) => store.lookup(name, tally),
      serial: () => store.serial(),
      get version() {
        return store.version;
      },
    };
  }

  #lookup(
    name: string,
    tally: LookupTally | undefined,
  ): NameNode | undefined | Promise<NameNode | undefined> {
    const now = this.#now();
    const entry = this.#lru.get(name);
    if (entry && this.#fresh(name, entry, now)) {
      this.hits++;
      if (tally) tally.hits++;
      return entry.node;
    }
    if (entry && now < entry.recheckAt && this.#usable(entry, now)) {
      this.staleServed++;
      if (tally) tally.hits++;
      return entry.node;
    }
    this.misses++;
    if (tally) tally.misses++;
    return this.#read(name, tally).then((outcome) => {
      if (outcome.ok) return outcome.node;
      const stale = this.#lru.peek(name);
      if (stale && this.#usable(stale, this.#now())) {
        this.staleServed++;
        return stale.node;
      }
      throw outcome.error;
    });
  }

  #fresh(name: string, entry: Entry, now: number): boolean {
    const watch = this.serialWatch;
    if (watch && entry.tag) return watch.valid(entry.tag, name, entry.readAt, now);
    return now - entry.readAt < this.#ttl;
  }

  #usable(entry: Entry, now: number): boolean {
    return now - entry.readAt < this.#ttl + this.#stale;
  }

  /** One read per name at a time. */
  #read(name: string, tally: LookupTally | undefined): Promise<Outcome> {
    let pending = this.#inflight.get(name);
    if (!pending) {
      this.reads++;
      if (tally) tally.reads++;
      pending = this.#fetch(name).finally(() => this.#inflight.delete(name));
      this.#inflight.set(name, pending);
    }
    return pending;
  }

  async #fetch(name: string): Promise<Outcome> {
    const serial = this.#inner.serial();
    const tag = this.serialWatch?.tag(this.#now());
    try {
      const node = await this.#inner.lookup(name);
      const before = this.#lru.peek(name);
      if (before && !sameNode(before.node, node)) this.version++;
      this.#lru.set(name, { node, readAt: this.#now(), recheckAt: 0, ...(tag && { tag }) });
      if (this.#inner.serial() !== serial) this.version++;
      return { ok: true, node };
    } catch (e) {
      const stale = this.#lru.peek(name);
      if (stale) stale.recheckAt = this.#now() + this.#recheck;
      const error =
        e instanceof StoreUnavailableError
          ? e
          : new StoreUnavailableError(
              `lookup ${name}: ${e instanceof Error ? e.message : String(e)}`,
              { cause: e },
            );
      return { ok: false, error };
    }
  }
}

/** Nodes come from the codec with a fixed key order, so their JSON compares them. */
function sameNode(a: NameNode | undefined, b: NameNode | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}
