// The clusterset zone at the edge (docs/architecture.md §5.8, §6.17): one name answered from the
// clusters behind the edge that export it. The syncs publish an exported Service's names under the
// clusterset zone, each under its own cluster id (sync/records/exported.ts), so a lookup is one
// read of every cluster's item of the name (one Query: store/dynamodb/query-reader.ts), merged
// here: the records of each type joined (duplicates dropped, the lowest TTL kept), so
// `web.shop.svc.<zone>` answers the addresses of every cluster exporting `web` in `shop`. A name
// holding a CNAME in some cluster cannot hold other data beside it (RFC 2181 §10.1): the first
// cluster (in the order configured) that has the name answers it alone. The read fails as a whole
// (StoreUnavailableError: SERVFAIL, never NXDOMAIN).
import type { NameNode, RecordSet } from '../core/record.ts';
import type { Store } from '../core/store.ts';

/** Every configured cluster's node of one name, in the clusters' order (query-reader.ts). */
export interface ClustersetReads {
  lookupAll(name: string): Promise<NameNode[]>;
  serial(): number;
  readonly version: number;
}

export class ClustersetStore implements Store {
  readonly #reads: ClustersetReads;

  constructor(reads: ClustersetReads) {
    this.#reads = reads;
  }

  get version(): number {
    return this.#reads.version;
  }

  serial(): number {
    return this.#reads.serial();
  }

  async lookup(name: string): Promise<NameNode | undefined> {
    const nodes = await this.#reads.lookupAll(name);
    return nodes.length === 0 ? undefined : mergeNodes(nodes);
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
  const synth = nodes.find((n) => n.synth)?.synth;
  return { name: first.name, sets: [...sets.values()], ...(synth && { synth }) };
}
