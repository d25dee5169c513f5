// Which owner names changed at which epoch of the change counter (serial-watch.ts 3.), from the
// sync's change log: held while an entry read before the change may still answer, oldest dropped
// first. Names are compared as CachedStore keys them: the canonical names lookups ask for, which
// are the store's keys, which are what the sync logs.

interface Change {
  epoch: number;
  /** When the change was seen. */
  at: number;
  names: readonly string[];
}

export class ChangedNames {
  /** Name -> the newest epoch that changed it. */
  readonly #latest = new Map<string, number>();
  /** Oldest first. */
  readonly #changes: Change[] = [];
  /** Names over all held changes (with repeats): what the memory bound counts. */
  #held = 0;

  /** The newest epoch held that changed `name`; 0 when none. */
  at(name: string): number {
    return this.#latest.size === 0 ? 0 : (this.#latest.get(name) ?? 0);
  }

  /** Names held, over all changes. */
  get held(): number {
    return this.#held;
  }

  /** `epoch` must be larger than any added before. */
  add(epoch: number, at: number, names: readonly string[]): void {
    this.#changes.push({ epoch, at, names });
    this.#held += names.length;
    for (const name of names) this.#latest.set(name, epoch);
  }

  /**
   * Drops, oldest first, the changes seen before `before` (ms), those of an epoch up to `through`,
   * and more while over `maxNames`. Returns the newest epoch dropped (0: none): nothing older can
   * be told name by name any more.
   */
  drop(before: number, through: number, maxNames: number): number {
    let dropped = 0;
    while (this.#changes.length > 0) {
      const oldest = this.#changes[0]!;
      if (oldest.at >= before && oldest.epoch > through && this.#held <= maxNames) break;
      this.#changes.shift();
      this.#held -= oldest.names.length;
      for (const name of oldest.names)
        if (this.#latest.get(name) === oldest.epoch) this.#latest.delete(name);
      dropped = oldest.epoch;
    }
    return dropped;
  }
}
