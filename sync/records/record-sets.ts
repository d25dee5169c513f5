// Accumulates record sets per owner name and produces deterministic NameNodes: one RRset per
// (owner, type), duplicate rdata removed (RFC 2181 §5), rdata sorted.
import type {
  NameNode,
  RecordSet,
  RecordType,
  SrvData,
  SynthKind,
} from '../../functions/core/record.ts';
import { sortIpTexts } from './ip.ts';

type Data = string | string[] | SrvData;

interface Pending {
  ttl: number;
  data: Map<string, Data>;
}

function keyOf(d: Data): string {
  return JSON.stringify(d);
}

function compareSrv(a: SrvData, b: SrvData): number {
  return (
    a.priority - b.priority ||
    a.weight - b.weight ||
    a.port - b.port ||
    (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class RecordSets {
  readonly #nodes = new Map<string, { sets: Map<RecordType, Pending>; synth?: SynthKind }>();
  readonly #accept: (name: string) => boolean;

  /** `accept` drops names this accumulator must not hold (e.g. names owned by another zone). */
  constructor(accept: (name: string) => boolean = () => true) {
    this.#accept = accept;
  }

  /** Makes `name` exist (an empty non-terminal unless records are added). */
  touch(name: string): void {
    if (!this.#nodes.has(name) && this.#accept(name)) this.#nodes.set(name, { sets: new Map() });
  }

  /** Marks `name` for child synthesis (CoreDNS `pods insecure`; zonal names, zonal.ts). */
  synth(name: string, kind: SynthKind): void {
    this.touch(name);
    const node = this.#nodes.get(name);
    if (node) node.synth = kind;
  }

  add(name: string, type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS', ttl: number, data: string): void;
  add(name: string, type: 'SRV', ttl: number, data: SrvData): void;
  add(name: string, type: 'TXT', ttl: number, data: string[]): void;
  add(name: string, type: RecordType, ttl: number, data: Data): void {
    this.touch(name);
    const node = this.#nodes.get(name);
    if (!node) return;
    let set = node.sets.get(type);
    if (!set) {
      set = { ttl, data: new Map() };
      node.sets.set(type, set);
    }
    // RFC 2181 §5.2: one TTL per RRset; should sources disagree, keep the smallest.
    set.ttl = Math.min(set.ttl, ttl);
    set.data.set(keyOf(data), data);
  }

  has(name: string): boolean {
    return this.#nodes.has(name);
  }

  /** The nodes, keyed by owner name, sets ordered by type and rdata sorted. */
  finish(): Map<string, NameNode> {
    const out = new Map<string, NameNode>();
    for (const name of [...this.#nodes.keys()].sort()) {
      const node = this.#nodes.get(name);
      if (!node) continue;
      const sets: RecordSet[] = [];
      for (const type of [...node.sets.keys()].sort()) {
        const p = node.sets.get(type);
        if (p) sets.push(toRecordSet(type, p));
      }
      const result: NameNode = { name, sets };
      if (node.synth) result.synth = node.synth;
      out.set(name, result);
    }
    return out;
  }
}

function toRecordSet(type: RecordType, p: Pending): RecordSet {
  const values = [...p.data.values()];
  switch (type) {
    case 'SRV':
      return { type, ttl: p.ttl, data: (values as SrvData[]).sort(compareSrv) };
    case 'TXT':
      return {
        type,
        ttl: p.ttl,
        data: (values as string[][]).sort((a, b) => compareText(keyOf(a), keyOf(b))),
      };
    case 'A':
    case 'AAAA':
      return { type, ttl: p.ttl, data: sortIpTexts(values as string[]) };
    default:
      return { type, ttl: p.ttl, data: (values as string[]).sort(compareText) };
  }
}
