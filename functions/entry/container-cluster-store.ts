// The clusters' memory stores as one store (docs/architecture.md §6.17): a name in a cluster's
// zones is read from that cluster's store alone, so a cluster that has not synced answers SERVFAIL
// in its zones and nowhere else. Reverse names (and any name in no cluster's zones) ask the
// clusters in the order configured; the first that holds the name answers. A miss while a cluster
// could not be read is that cluster's error (SERVFAIL), never NXDOMAIN (§6.7).
import type { NameNode } from '../core/record.ts';
import { isInZone } from '../core/zone.ts';
import type { RecordsStore } from './container-records.ts';

export interface ClusterStore {
  /** The zones only this cluster answers (its forward and k8s_external zones). */
  zones: readonly string[];
  store: RecordsStore;
}

export class ClusterStores {
  readonly #clusters: readonly ClusterStore[];

  constructor(clusters: readonly ClusterStore[]) {
    this.#clusters = clusters;
  }

  lookup(name: string): NameNode | undefined {
    const owner = this.#owner(name);
    if (owner) return owner.store.lookup(name);
    let unreadable: unknown;
    for (const c of this.#clusters) {
      try {
        const node = c.store.lookup(name);
        if (node) return node;
      } catch (error) {
        unreadable ??= error;
      }
    }
    if (unreadable !== undefined) throw unreadable;
    return undefined;
  }

  /** The newest serial: each store's serial is unix seconds moved forward on every change. */
  serial(): number {
    return Math.max(...this.#clusters.map((c) => c.store.serial()));
  }

  /** Moves whenever one cluster's records move (the answer cache keys on it). */
  get version(): number {
    return this.#clusters.reduce((sum, c) => sum + c.store.version, 0);
  }

  get synced(): boolean {
    return this.#clusters.every((c) => c.store.synced);
  }

  get size(): number {
    return this.#clusters.reduce((sum, c) => sum + c.store.size, 0);
  }

  *names(): IterableIterator<string> {
    for (const c of this.#clusters) yield* c.store.names();
  }

  /** The cluster whose zones hold `name` (the longest zone), if any. */
  #owner(name: string): ClusterStore | undefined {
    let best: ClusterStore | undefined;
    let length = -1;
    for (const c of this.#clusters)
      for (const zone of c.zones)
        if (isInZone(name, zone) && zone.length > length) [best, length] = [c, zone.length];
    return best;
  }
}
