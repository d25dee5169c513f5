import type { QueryKey } from './query-key.ts';
import { recordTtls } from './record-ttls.ts';
import { AnswerTable, questionHash } from './answer-table.ts';

/** The CD bit of the flags word (RFC 4035 §3.2.2): it changes a forwarder's answer, not ours. */
const CD = 0x0010;
/** The question follows the 12-byte header (RFC 1035 §4.1.1). */
const QUESTION = 12;

/**
 * Encoded answers by query shape, for stores whose `version` changes with their data (the memory
 * store). Authoritative answers do not age (their TTLs are fixed), so such an entry stays good
 * until the data changes. Forwarded answers (`setAging`) age: until their smallest TTL runs out,
 * with every TTL counted down on the way. The question bytes are part of the key, so the echoed
 * case is exact. The cache reads no clock: the time comes in with each aging call.
 *
 * A whole answer serves every query of its key that it fits: UDP at any EDNS size, TCP and
 * HTTPS share it. An answer cut to a limit (TC, or additional records dropped: RFC 2181 §9) is
 * kept for that limit only, beside the whole one if any.
 */
export class AnswerCache {
  // Off the JS heap: a lookup hashes the query's own bytes and allocates only the copy it sends.
  #table: AnswerTable;
  #version = -1;
  hits = 0;
  misses = 0;

  constructor(readonly capacity = 50_000) {
    this.#table = new AnswerTable(capacity);
  }

  /**
   * A copy of the cached answer with this query's ID and flags, or undefined. An aging entry
   * needs `now` (ms): it is a miss without it, and a miss (dropped) once expired. A clock rather
   * than a time: only aging entries read it (Date.now costs ~50 ns, 0.5% of an authoritative hit).
   */
  get(query: QueryKey, version: number, now?: () => number): Buffer | undefined {
    const table = this.#table;
    if (version !== this.#version) {
      table.clear();
      this.#version = version;
    }
    const { wire, questionEnd } = query;
    const qhash = questionHash(wire, QUESTION, questionEnd);
    let id = table.find(qhash, wholeTag(query), wire, QUESTION, questionEnd);
    // Too big for this query, or none: an answer cut to its limit may be kept.
    if (id < 0 || table.answerLength(id) > query.limit)
      id = table.find(qhash, cutTag(query), wire, QUESTION, questionEnd);
    const out =
      id < 0 ? undefined : table.aging(id) ? this.#aged(query, id, now) : table.answer(id);
    if (out === undefined) {
      this.misses++;
      // The set that follows keys what was asked, whatever becomes of the query's buffer.
      query.wire = wire.slice(0, questionEnd);
      return undefined;
    }
    this.hits++;
    out[0] = query.id >> 8;
    out[1] = query.id & 0xff;
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
    const { wire, questionEnd } = query;
    const tag = whole ? wholeTag(query) : cutTag(query);
    const qhash = questionHash(wire, QUESTION, questionEnd);
    this.#table.set(qhash, tag, wire, QUESTION, questionEnd, answer, query.echoFlags);
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
    const { wire, questionEnd } = query;
    const tag = whole ? wholeTag(query) : cutTag(query);
    const qhash = questionHash(wire, QUESTION, questionEnd);
    this.#table.set(qhash, tag, wire, QUESTION, questionEnd, answer, query.echoFlags, {
      storedAt: nowMs,
      expiresAt: nowMs + lifetimeMs,
      offsets: found.offsets,
      cd: query.echoFlags & CD,
    });
  }

  clear(): void {
    this.#table.clear();
  }

  get size(): number {
    return this.#table.size;
  }

  /**
   * Entries by kind, as CoreDNS's cache counts them (for metrics, at scrape time: a walk over every
   * entry): `success` NOERROR with answers, `denial` NXDOMAIN or NODATA (RFC 2308 §2). Kept
   * answers of other rcodes (REFUSED, NOTIMP) are neither.
   */
  entryKinds(): { success: number; denial: number } {
    const table = this.#table;
    let success = 0;
    let denial = 0;
    for (const id of table.ids()) {
      const rcode = table.headerByte(id, 3) & 0xf;
      const answers = (table.headerByte(id, 6) << 8) | table.headerByte(id, 7);
      if (rcode === 3 || (rcode === 0 && answers === 0)) denial++;
      else if (rcode === 0) success++;
    }
    return { success, denial };
  }

  /** The entry's bytes with each TTL less its age in whole seconds, never below 0; or undefined. */
  #aged(query: QueryKey, id: number, now: (() => number) | undefined): Buffer | undefined {
    const table = this.#table;
    if (now === undefined || (query.echoFlags & CD) !== table.cd(id)) return undefined;
    const nowMs = now();
    if (nowMs >= table.expiresAt(id)) {
      table.delete(id);
      return undefined;
    }
    const out = table.answer(id);
    const age = Math.max(0, Math.floor((nowMs - table.storedAt(id)) / 1000));
    const count = table.ttlCount(id);
    for (let i = 0; i < count; i++) {
      const at = table.ttlOffset(id, i);
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
}

/** The key's tag for a whole answer: the EDNS shape. */
const wholeTag = (query: QueryKey): number => query.edns << 16;

/** Where an answer cut to the query's limit is kept: the EDNS shape and that limit. */
const cutTag = (query: QueryKey): number => (query.edns << 16) | query.limit;
