// What the `hosts` plugin answers from: the file's NameNodes, swapped whole on each reload, beside
// the inline entries' NameNodes, fixed at setup. Lookups read the two as CoreDNS's Hostsfile does:
// the file's addresses then the inline ones; in each, a name's own addresses, else those of the
// wildcard one label up (`*.example.com` for `www.example.com`); PTR names by address.
import type { NameNode, RecordSet } from '../core/record.ts';
import { addressFromReverse } from './reverse-address.ts';

/** Records of one type found for a question: TTL and rdata (addresses, or PTR targets). */
export interface HostsRecords {
  ttl: number;
  data: string[];
}

interface Indexed {
  nodes: ReadonlyMap<string, NameNode>;
  /** PTR targets by canonical address text. */
  byAddress: ReadonlyMap<string, HostsRecords>;
  /** CoreDNS's entry count (Map.Len): every address at a name plus every name at an address. */
  entries: number;
}

function indexed(nodes: Iterable<NameNode>): Indexed {
  const map = new Map<string, NameNode>();
  const byAddress = new Map<string, HostsRecords>();
  let entries = 0;
  for (const node of nodes) {
    map.set(node.name, node);
    for (const set of node.sets) {
      entries += set.data.length;
      if (set.type !== 'PTR') continue;
      const ip = addressFromReverse(node.name);
      if (ip) byAddress.set(ip.text, { ttl: set.ttl, data: set.data });
    }
  }
  return { nodes: map, byAddress, entries };
}

const EMPTY = indexed([]);

function addressSet(node: NameNode | undefined, type: 'A' | 'AAAA'): RecordSet | undefined {
  return node?.sets.find((s) => s.type === type);
}

/** `name` with its first label replaced by `*` (CoreDNS replaceWithAsteriskLabel). */
function wildcardOf(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : `*${name.slice(dot)}`;
}

function merged(parts: (HostsRecords | undefined)[]): HostsRecords | undefined {
  const found = parts.filter((p): p is HostsRecords => p !== undefined && p.data.length > 0);
  const first = found[0];
  if (!first) return undefined;
  // RFC 2181 §5: an RRset holds no duplicates (CoreDNS repeats an address both sources give).
  return { ttl: first.ttl, data: [...new Set(found.flatMap((p) => p.data))] };
}

export class HostsTable {
  #file: Indexed = EMPTY;
  readonly #inline: Indexed;
  #version = 0;

  constructor(inline: Iterable<NameNode> = []) {
    this.#inline = indexed(inline);
  }

  /** Replaces the file's records at once: a lookup sees the old table or the new, never a mix. */
  replaceFile(nodes: Iterable<NameNode>): void {
    this.#file = indexed(nodes);
    this.#version++;
  }

  /** Moves whenever an answer may change (each replaceFile). */
  get version(): number {
    return this.#version;
  }

  /** CoreDNS `coredns_hosts_entries`: the file's and the inline entries together. */
  get entries(): number {
    return this.#file.entries + this.#inline.entries;
  }

  /** A or AAAA records at `name` (canonical), or undefined. */
  addresses(name: string, type: 'A' | 'AAAA'): HostsRecords | undefined {
    return merged([lookup(this.#file, name, type), lookup(this.#inline, name, type)]);
  }

  /** Whether `name` has A or AAAA records: a name that exists (CoreDNS otherRecordsExist). */
  exists(name: string): boolean {
    return this.addresses(name, 'A') !== undefined || this.addresses(name, 'AAAA') !== undefined;
  }

  /** PTR targets for an address (its canonical text), or undefined. */
  names(address: string): HostsRecords | undefined {
    return merged([this.#file.byAddress.get(address), this.#inline.byAddress.get(address)]);
  }
}

function lookup(source: Indexed, name: string, type: 'A' | 'AAAA'): HostsRecords | undefined {
  const own = addressSet(source.nodes.get(name), type);
  if (own) return own as HostsRecords;
  const wildcard = wildcardOf(name);
  return wildcard ? (addressSet(source.nodes.get(wildcard), type) as HostsRecords) : undefined;
}
