// Change-to-published latency (sync/README.md "Metrics"): from the watch event that changed an
// object to the end of the round that wrote every name its units build (CoreDNS measures the same
// for its own records as `coredns_kubernetes_dns_programming_duration_seconds`). A change whose
// names failed to write waits for the later rounds that retry them (docs/architecture.md §8.9).
import type { UnitKey } from './units.ts';

/** A change not yet published: the object (`Kind/key`), when it was first seen, the units it
 *  dirtied (undefined: all). */
interface Change {
  id: string;
  at: number;
  units: Set<UnitKey> | undefined;
}

/** Changes of a round whose names failed: published once none of `names` fails any more. */
interface Waiting {
  changes: Change[];
  names: Set<string>;
}

/** Waiting changes kept while writes keep failing; the oldest are dropped past this. */
const MAX_WAITING = 10_000;

export class ChangeLatency {
  readonly #observe: (ms: number, id: string) => void;
  readonly #pending = new Map<string, Change>();
  #waiting: Waiting[] = [];

  /** `observe` is told each published change's latency in milliseconds, and its object. */
  constructor(observe: (ms: number, id: string) => void) {
    this.#observe = observe;
  }

  /**
   * An event for the object `id` at `at`, dirtying `units` (undefined while a full round is due:
   * it rebuilds every unit). Events for an object not yet published keep the first one's time.
   */
  changed(id: string, at: number, units: Iterable<UnitKey> | undefined): void {
    const unitSet = units && new Set(units);
    const known = this.#pending.get(id);
    if (!known) {
      if (unitSet?.size !== 0) this.#pending.set(id, { id, at, units: unitSet });
    } else if (known.units && unitSet) for (const u of unitSet) known.units.add(u);
    else known.units = undefined;
  }

  /** A round starts and takes every change seen so far. */
  take(): Change[] {
    const taken = [...this.#pending.values()];
    this.#pending.clear();
    return taken;
  }

  /**
   * The round that took `taken` ended at `at`. `namesOf(unit)`: the names it built that round;
   * `failed`: the names not written (every one is retried next round, so a waiting name absent
   * from `failed` has been written).
   */
  settle(
    taken: readonly Change[],
    namesOf: (unit: UnitKey) => Iterable<string>,
    failed: ReadonlySet<string>,
    at: number,
  ): void {
    this.#waiting = this.#waiting.filter((w) => {
      for (const name of w.names) if (!failed.has(name)) w.names.delete(name);
      if (w.names.size > 0) return true;
      for (const c of w.changes) this.#observe(at - c.at, c.id);
      return false;
    });
    let everything: Waiting | undefined;
    for (const change of taken) {
      if (failed.size === 0) {
        this.#observe(at - change.at, change.id);
        continue;
      }
      if (!change.units) {
        (everything ??= { changes: [], names: new Set(failed) }).changes.push(change);
        continue;
      }
      const names = new Set<string>();
      for (const unit of change.units)
        for (const name of namesOf(unit)) if (failed.has(name)) names.add(name);
      if (names.size === 0) this.#observe(at - change.at, change.id);
      else this.#waiting.push({ changes: [change], names });
    }
    if (everything) this.#waiting.push(everything);
    if (this.#waiting.length > MAX_WAITING)
      this.#waiting.splice(0, this.#waiting.length - MAX_WAITING);
  }
}
