import type { QueryKey } from './query-key.ts';

/**
 * Encoded answers by query shape, for stores whose `version` changes with their data (the memory
 * store): authoritative answers do not age (their TTLs are fixed), so an entry stays good until
 * the data changes. The question bytes are part of the key, so the echoed case is exact.
 */
export class AnswerCache {
  // Answers as one-byte strings: a string is one heap object the GC does not trace into, where a
  // Buffer is an object, an ArrayBuffer and a separate allocation.
  #entries = new Map<string, string>();
  #version = -1;
  hits = 0;
  misses = 0;

  constructor(readonly capacity = 50_000) {}

  /** A copy of the cached answer with this query's ID and flags, or undefined. */
  get(query: QueryKey, version: number): Buffer | undefined {
    if (version !== this.#version) {
      this.#entries.clear();
      this.#version = version;
    }
    const cached = this.#entries.get(query.key);
    if (cached === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    const out = Buffer.from(cached, 'latin1');
    out.writeUInt16BE(query.id, 0);
    out[2] = out[2]! | (query.echoFlags >> 8);
    out[3] = out[3]! | (query.echoFlags & 0xff);
    return out;
  }

  /** Keeps `answer` (as sent for `query`) with ID and echoed flags cleared. */
  set(query: QueryKey, version: number, answer: Buffer): void {
    if (version !== this.#version) return;
    if (this.#entries.size >= this.capacity) {
      // Evict the oldest entry (Map keeps insertion order).
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const flags = answer.readUInt16BE(2) & ~query.echoFlags;
    const head = String.fromCharCode(0, 0, flags >> 8, flags & 0xff);
    this.#entries.set(query.key, head + answer.toString('latin1', 4));
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
