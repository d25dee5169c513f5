// The `hosts` and `file` plugins at the edge (docs/architecture.md §6.14): the record items the
// sync publishes (functions/store/dynamodb/codec-record-items.ts) read through the edge's cached store, so each
// item costs one read per cache period and a change shows through the change log like any name.
// The answers are the container's plugins' own (functions/hosts, functions/file), in CoreDNS's
// order: hosts, then the file zones, then the Kubernetes names (`last`).
import { canonicalName, type NameNode } from '../core/record.ts';
import { chainOf, type Next, type Plugin, type PluginQuery } from '../core/plugin.ts';
import type { ServerBlockChain } from '../core/server-blocks.ts';
import type { Store } from '../core/store.ts';
import { authoritativeAnswer } from '../file/authoritative-answer.ts';
import { zoneOf } from '../file/file-zone.ts';
import { ZoneData } from '../file/zone-data.ts';
import { hostsPlugin } from '../hosts/hosts-plugin.ts';
import { HostsTable } from '../hosts/hosts-table.ts';
import {
  hostsNodes,
  RECORD_INDEX,
  recordIndexEntries,
  zoneItemName,
  zoneRecords,
  type RecordIndexEntry,
} from '../store/dynamodb/codec-record-items.ts';
import { StoreUnavailableError } from '../core/store.ts';

/** What one item decodes to (store-independent), kept while the cache hands out the same node. */
const decoded = new WeakMap<NameNode, unknown>();
function memo<T>(node: NameNode, make: () => T): T {
  if (!decoded.has(node)) decoded.set(node, make());
  return decoded.get(node) as T;
}

async function item(store: Store, name: string): Promise<NameNode> {
  const node = await store.lookup(name);
  // Listed in the index but not readable: the data cannot be trusted (SERVFAIL, never NXDOMAIN).
  if (!node) throw new StoreUnavailableError(`record item ${name} is listed but missing`);
  return node;
}

function hostsStep(store: Store, entry: RecordIndexEntry & { kind: 'hosts' }): Plugin {
  return async (q, next) => {
    const node = await item(store, entry.item);
    const plugin = memo(node, () => {
      const { file, inline } = hostsNodes(node);
      const table = new HostsTable(inline);
      table.replaceFile(file);
      return hostsPlugin({
        table,
        zones: entry.zones,
        ...(entry.fallthrough && { fallthrough: entry.fallthrough }),
        fallthroughUnsupported: entry.fallthroughUnsupported,
      });
    });
    return plugin(q, next);
  };
}

/** The `file` zones: one chain step, so a CNAME is followed through every zone published. */
function fileStep(store: Store, origins: string[]): Plugin {
  const names = new Map(origins.map((o) => [o, undefined]));
  return async (q, next) => {
    if (zoneOf(names, canonicalName(q.name)) === undefined) return next(q);
    const zones = new Map<string, ZoneData>();
    for (const origin of origins) {
      const node = await item(store, zoneItemName(origin));
      zones.set(
        origin,
        memo(node, () => new ZoneData(origin, zoneRecords(node))),
      );
    }
    return authoritativeAnswer(q.name, q.type, q.class, (name) => {
      const zone = zoneOf(names, name);
      return zone === undefined ? undefined : zones.get(zone);
    });
  };
}

/** The edge's one server block: every name, through the published plugins, then `last`. */
export function edgeZoneBlocks(store: Store, last: Next): ServerBlockChain[] {
  /** The chain of each index read; it reads this store, so it is kept per call. */
  const chains = new WeakMap<NameNode, Next>();
  const next: Next = async (q: PluginQuery) => {
    let index: NameNode | undefined;
    try {
      index = await store.lookup(RECORD_INDEX);
    } catch {
      // Never read and unreadable now (a read index answers stale for a day, cached.ts): answer
      // as an edge without record items would, so forwarding outlives a DynamoDB outage.
      return last(q);
    }
    if (!index) return last(q); // the sync publishes no file or hosts sources
    let chain = chains.get(index);
    if (!chain) {
      const entries = recordIndexEntries(index);
      const plugins: Plugin[] = entries.flatMap((e) =>
        e.kind === 'hosts' ? [hostsStep(store, e)] : [],
      );
      const origins = entries.flatMap((e) => (e.kind === 'file' ? [e.origin] : []));
      if (origins.length > 0) plugins.push(fileStep(store, origins));
      chains.set(index, (chain = chainOf(plugins, last)));
    }
    return chain(q);
  };
  return [{ zones: [''], next }];
}
