// The change counters of several clusters as the one counter the edge cache watches
// (store/serial-watch.ts; docs/architecture.md §5.4, §5.8): the clusterset's entries are read from
// every cluster at once, so any cluster's change may change one. One read per check gets every
// counter (query-reader.ts `readSerials`); their sum is the value watched (each counter only
// grows, so the sum only grows, and moves whenever one does). When it moves, the change logs of
// the clusters whose counters moved name the changed owners (one read per such cluster); when one
// cannot say, or a counter is missing (a cluster not yet synced, an older sync), the watch sweeps
// or falls back to the TTL as it does for one cluster.
import type { SerialSource } from '../store/serial-watch.ts';

export interface ClusterCounters {
  /** Each cluster's counter; undefined: none written. Rejects when they cannot be read. */
  readSerials(): Promise<ReadonlyMap<string, number | undefined>>;
  /** `cluster`'s change log between two of its counter values (reader.ts `readChanges`). */
  readChanges(cluster: string, after: number, upTo: number): Promise<readonly string[] | undefined>;
}

/** Sums seen lately, with the counters behind them: enough for one move at a time. */
const KEEP = 4;

export function clustersetSerial(counters: ClusterCounters, checkMs: number): SerialSource {
  const seen = new Map<number, ReadonlyMap<string, number>>();
  return {
    checkMs,
    async read() {
      const values = await counters.readSerials();
      const known = new Map<string, number>();
      for (const [cluster, v] of values) {
        if (v === undefined) return undefined;
        known.set(cluster, v);
      }
      const sum = [...known.values()].reduce((a, b) => a + b, 0);
      seen.delete(sum);
      seen.set(sum, known);
      while (seen.size > KEEP) seen.delete(seen.keys().next().value!);
      return sum;
    },
    async changes(after, upTo) {
      const from = seen.get(after);
      const to = seen.get(upTo);
      if (!from || !to) return undefined;
      const moved = [...to].filter(([c, v]) => from.get(c) !== v);
      if (moved.some(([c, v]) => (from.get(c) ?? Infinity) > v)) return undefined;
      const logs = await Promise.all(
        moved.map(([c, v]) => counters.readChanges(c, from.get(c)!, v)),
      );
      if (logs.some((l) => l === undefined)) return undefined;
      return logs.flatMap((l) => l!);
    },
  };
}
