// The memory store as the sync's reconciler writes it (structurally sync/write/store-writer.ts):
// the container fed in-process by the watch, as CoreDNS is.
import type { NameNode } from '../core/record.ts';
import type { MemoryStore } from './memory.ts';

/** Content hash of a node for the planner: its canonical JSON (the builder's output is sorted). */
export function memoryNodeHash(node: NameNode): string {
  return JSON.stringify(node);
}

export class MemoryWriter {
  readonly #store: MemoryStore;
  readonly #serial: () => number;

  /** `serial`: the SOA serial for the data after a change (the entry passes the clock). */
  constructor(store: MemoryStore, serial: () => number) {
    this.#store = store;
    this.#serial = serial;
  }

  async listOwned(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!this.#store.synced) return out;
    for (const name of this.#store.names()) {
      const node = this.#store.lookup(name);
      if (node) out.set(name, memoryNodeHash(node));
    }
    return out;
  }

  async apply(change: {
    put: NameNode[];
    delete: string[];
  }): Promise<{ written: string[]; failed: never[] }> {
    this.#store.apply(change, this.#serial());
    return { written: [...change.put.map((n) => n.name), ...change.delete], failed: [] };
  }
}
