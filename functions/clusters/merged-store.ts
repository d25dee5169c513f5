// The clusterset zone at the edge (docs/architecture.md §6.17): one name answered from every
// cluster behind the edge at once, by namespace sameness (KEP-1645: a namespace of one name is the
// same namespace in every cluster). A lookup asks each cluster's store (each cached, with its own
// change log) and merges what they hold: the records of each type joined (duplicates dropped,
// the lowest TTL kept), so `web.shop.svc.<zone>` answers the addresses of every cluster that has
// `web` in `shop`. A name holding a CNAME in some cluster cannot hold other data beside it
// (RFC 2181 §10.1): the first cluster (in the order configured) that has the name answers it
// alone. A cluster that cannot be read is left out while another holds the name; when none that
// could be read holds it and one could not be read, the lookup fails (SERVFAIL, never NXDOMAIN).
import type { NameNode, RecordSet } from '../core/record.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';

export class MergedStore implements Store {
  readonly #stores: readonly Store[];

  constructor(stores: readonly Store[]) {
    this.#stores = stores;
  }

  get version(): number {
    return this.#stores.reduce((sum, s) => sum + s.version, 0);
  }

  serial(): number {
    return Math.max(0, ...this.#stores.map((s) => s.serial()));
  }

  async lookup(name: string): Promise<NameNode | undefined> {
    const found = await Promise.allSettled(this.#stores.map((s) => s.lookup(name)));
    const nodes: NameNode[] = [];
    let failed: unknown;
    for (const r of found)
      if (r.status === 'rejected') failed ??= r.reason;
      else if (r.value) nodes.push(r.value);
    if (nodes.length === 0) {
      if (failed === undefined) return undefined;
      throw failed instanceof StoreUnavailableError
        ? failed
        : new StoreUnavailableError(`clusterset ${name}: ${String(failed)}`);
    }
    return mergeNodes(nodes);
  }
}

/** The nodes of one name from several clusters as one node (see the header). */
export function mergeNodes(nodes: readonly NameNode[]): NameNode {
  const first = nodes[0]!;
  if (nodes.length === 1 || nodes.some((n) => n.sets.some((s) => s.type === 'CNAME'))) return first;
  const sets = new Map<string, RecordSet>();
  for (const node of nodes)
    for (const set of node.sets) {
      const had = sets.get(set.type);
      if (!had) {
        sets.set(set.type, { ...set, data: [...set.data] } as RecordSet);
        continue;
      }
      const seen = new Set(had.data.map((d) => JSON.stringify(d)));
      const more = (set.data as unknown[]).filter((d) => !seen.has(JSON.stringify(d)));
      (had.data as unknown[]).push(...more);
      had.ttl = Math.min(had.ttl, set.ttl);
    }
  const synth = nodes.some((n) => n.synth) ? { synth: 'dashed-ip' as const } : {};
  return { name: first.name, sets: [...sets.values()], ...synth };
}
