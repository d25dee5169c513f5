import type { QueryKey } from './query-key.ts';
import { recordTtls } from './record-ttls.ts';

/** The CD bit of the flags word (RFC 4035 §3.2.2): it changes a forwarder's answer, not ours. */
const CD = 0x0010;

/**
 * A forwarded answer: its TTLs count down while it is cached (RFC 1035 §6.1), so each copy has
 * them rewritten to what is left.
 */
interface Aging {
  /** As stored: each TTL field holds its value at `storedAt`. */
  bytes: string;
  storedAt: number;
  expiresAt: number;
  /** Offsets of the TTL fields (record-ttls.ts). */
  offsets: number[];
  /** The CD bit of the query it answered: the upstream's answer depends on it. */
  cd: number;
}

/**
 * Encoded answers by query shape, for stores whose `version` changes with their data (the memory
 * store). Authoritative answers do not age (their TTLs are fixed), so such an entry stays good
 * until the data changes. Forwarded answers (`setAging`) age: until their smallest TTL runs out,
 * with every TTL counted down on the way. The question bytes are part of the key, so the echoed
 * case is exact. The cache reads no clock: the time comes in with each aging call.
 *
 * A whole answer serves every query of its key that it fits: UDP at any EDNS size, TCP and
 * HTTPS share it. An answer cut to a limit (TC, or additional records dropped: RFC 2181 §9) is
 * kept for that limit only, beside the whole one.
 */
export class AnswerCache {
  // Authoritative answers as one-byte strings: a string is one heap object the GC does not trace
  // into, where a Buffer is an object, an ArrayBuffer and a separate allocation.
  #entries = new Map<string, string | Aging>();
  #version = -1;
  hits = 0;
  misses = 0;

  constructor(readonly capacity = 50_000) {}

  /**
   * A copy of the cached answer with this query's ID and flags, or undefined. An aging entry
   * needs `now` (ms): it is a miss without it, and a miss (dropped) once expired. A clock rather
   * than a time: only aging entries read it (Date.now costs ~50 ns, 0.5% of an authoritative hit).
   */
  get(query: QueryKey, version: number, now?: () => number): Buffer | undefined {
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    let key = query.key;
    let cached = this.#entries.get(key);
    if (cached !== undefined && size(cached) > query.limit) {
      key = cutKey(query);
      cached = this.#entries.get(key);
    }
    const out =
      typeof cached === 'string'
        ? Buffer.from(cached, 'latin1')
        : cached && this.#aged(query, key, cached, now);
    if (out === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    out.writeUInt16BE(query.id, 0);
    out[2] = out[2]! | (query.echoFlags >> 8);
    out[3] = out[3]! | (query.echoFlags & 0xff);
    return out;
  }

  /**
   * Keeps `answer` (as sent for `query`) with ID and echoed flags cleared; `whole` unless it left
   * records out to fit `query.limit` (truncate.ts lostRecords).
   */
  set(query: QueryKey, version: number, answer: Buffer, whole = true): void {
    if (version !== this.#version) return;
    const key = whole ? query.key : cutKey(query);
    this.#room(key);
    this.#entries.set(key, stripped(query, answer));
  }

  /**
   * Keeps a forwarded `answer` whose TTLs count from `nowMs`: until its smallest TTL runs out, and
   * at most `maxMs` (the forwarder's say: see Sections.cacheableMs). Not kept when a TTL is 0,
   * when it holds no record with a TTL (RFC 2308 §5: a denial without SOA is not cached), or when
   * it cannot be walked.
   */
  setAging(
    query: QueryKey,
    version: number,
    answer: Buffer,
    nowMs: number,
    maxMs = Number.POSITIVE_INFINITY,
    whole = true,
  ): void {
    if (version !== this.#version) return;
    const found = recordTtls(answer);
    if (!found || !(found.minTtl > 0) || found.minTtl === Number.POSITIVE_INFINITY) return;
    const lifetimeMs = Math.min(found.minTtl * 1000, maxMs);
    if (!(lifetimeMs > 0)) return;
    const key = whole ? query.key : cutKey(query);
    this.#room(key);
    this.#entries.set(key, {
      bytes: stripped(query, answer),
      storedAt: nowMs,
      expiresAt: nowMs + lifetimeMs,
      offsets: found.offsets,
      cd: query.echoFlags & CD,
    });
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Entries by kind, as CoreDNS's cache counts them (for metrics, at scrape time: a walk over every
   * entry): `success` NOERROR with answers, `denial` NXDOMAIN or NODATA (RFC 2308 §2). Kept
   * answers of other rcodes (REFUSED, NOTIMP) are neither.
   */
  entryKinds(): { success: number; denial: number } {
    let success = 0;
    let denial = 0;
    for (const entry of this.#entries.values()) {
      const bytes = typeof entry === 'string' ? entry : entry.bytes;
      const rcode = bytes.charCodeAt(3) & 0xf;
      const answers = (bytes.charCodeAt(6) << 8) | bytes.charCodeAt(7);
      if (rcode === 3 || (rcode === 0 && answers === 0)) denial++;
      else if (rcode === 0) success++;
    }
    return { success, denial };
  }

  /** The entry's bytes with each TTL less its age in whole seconds, never below 0; or undefined. */
  #aged(
    query: QueryKey,
    key: string,
    entry: Aging,
    now: (() => number) | undefined,
  ): Buffer | undefined {
    if (now === undefined || (query.echoFlags & CD) !== entry.cd) return undefined;
    const nowMs = now();
    if (nowMs >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    const out = Buffer.from(entry.bytes, 'latin1');
    const age = Math.max(0, Math.floor((nowMs - entry.storedAt) / 1000));
    for (const at of entry.offsets) {
      // Byte by byte: about twice as fast as readUInt32BE/writeUInt32BE here (their range checks).
      const stored =
        ((out[at]! << 24) | (out[at + 1]! << 16) | (out[at + 2]! << 8) | out[at + 3]!) >>> 0;
      const ttl = Math.max(0, stored - age);
      out[at] = ttl >>> 24;
      out[at + 1] = (ttl >>> 16) & 0xff;
      out[at + 2] = (ttl >>> 8) & 0xff;
      out[at + 3] = ttl & 0xff;
    }
    return out;
  }

  /** At capacity, a new key evicts the oldest entry (Map keeps insertion order), of either kind. */
  #room(key: string): void {
    if (this.#entries.size < this.capacity || this.#entries.has(key)) return;
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.#entries.delete(oldest.value);
  }
}

/** Bytes of a cached answer (one char per byte). */
const size = (entry: string | Aging): number =>
  (typeof entry === 'string' ? entry : entry.bytes).length;

/** Where an answer cut to the query's limit is kept. */
const cutKey = (query: QueryKey): string => `${query.limit}:${query.key}`;

/** The answer as a one-byte string, its ID and the flags it echoes from the query cleared. */
function stripped(query: QueryKey, answer: Buffer): string {
  const flags = answer.readUInt16BE(2) & ~query.echoFlags;
  return String.fromCharCode(0, 0, flags >> 8, flags & 0xff) + answer.toString('latin1', 4);
}
