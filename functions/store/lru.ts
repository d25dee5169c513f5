// A bounded least-recently-used map over Map's insertion order: `get` moves an entry to the end,
// `set` evicts from the front. All the edge's caches need (store/cached.ts, forward/forward-cache.ts):
// lru-cache, which did this before, was 18.7 KB of the Workers bundle (budget 250 KB,
// docs/architecture.md §7) and allocates all its slots when created (several ms of a Lambda cold
// start). No clock: pure.

export class Lru<K, V> {
  readonly #map = new Map<K, V>();
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  /** `onEvict` hears of entries pushed out by capacity (not of delete() or replacement). */
  constructor(
    readonly max: number,
    onEvict?: (key: K, value: V) => void,
  ) {
    this.#onEvict = onEvict;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`an LRU needs a capacity of at least 1, not ${max}`);
  }

  get size(): number {
    return this.#map.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** The value without touching its recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.max) {
      const [oldest, old] = this.#map.entries().next().value as [K, V];
      this.#map.delete(oldest);
      this.#onEvict?.(oldest, old);
    }
    this.#map.set(key, value);
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
