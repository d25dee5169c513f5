// One zone of a zone file in memory, as an authoritative server holds it: RRsets by owner and
// type in the order the file gave them, and which names exist, empty non-terminals included
// (RFC 8020: a name with no records but names below it exists).
import type { Answer } from 'dns-packet';
import { typeNumber } from '../doh/record-types.ts';
import { canonicalName } from '../core/record.ts';
import { isInZone } from '../core/zone.ts';

export const T = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, SRV: 33, AAAA: 28, DNAME: 39 } as const;

export class ZoneData {
  /** The apex, canonical. */
  readonly origin: string;
  readonly soa: Answer & { type: 'SOA' };
  /** owner -> type number -> the RRset, each map in file order. */
  readonly #nodes = new Map<string, Map<number, Answer[]>>();
  /** Owners and every name between them and the origin. */
  readonly #existing = new Set<string>();

  /**
   * `records`: a checked zone (sync/zonefile's parseZoneFile): absolute canonical names, all at or
   * below `origin`, one SOA at the origin. Throws when they are not.
   */
  constructor(origin: string, records: readonly Answer[]) {
    this.origin = canonicalName(origin);
    for (const rr of records) {
      const owner = canonicalName(rr.name);
      const type = typeNumber(rr.type);
      if (!isInZone(owner, this.origin) || type === undefined)
        throw new Error(`zone ${this.origin}: ${rr.name} ${rr.type} does not belong in it`);
      const types = this.#nodes.get(owner) ?? new Map<number, Answer[]>();
      this.#nodes.set(owner, types);
      types.set(type, [...(types.get(type) ?? []), { ...rr, name: owner }]);
      for (let name = owner; !this.#existing.has(name); name = parentName(name)) {
        this.#existing.add(name);
        if (name === this.origin) break;
      }
    }
    const soa = this.rrset(this.origin, T.SOA)?.[0];
    if (soa?.type !== 'SOA') throw new Error(`zone ${this.origin}: no SOA at the apex`);
    this.soa = soa;
  }

  /** The SOA serial (RFC 1035 §3.3.13): CoreDNS's file plugin reloads only when it changes. */
  get serial(): number {
    return this.soa.data.serial ?? 0;
  }

  /** The SOA of negative answers: TTL min(TTL, MINIMUM) (RFC 2308 §3, §5). */
  get negativeSoa(): Answer {
    return { ...this.soa, ttl: Math.min(this.soa.ttl ?? 0, this.soa.data.minimum ?? 0) };
  }

  /** Whether `name` exists: it owns records, or names below it do (an empty non-terminal). */
  exists(name: string): boolean {
    return this.#existing.has(name);
  }

  rrset(name: string, type: number): Answer[] | undefined {
    return this.#nodes.get(name)?.get(type);
  }

  /** Every RRset at `name`, in file order (empty for an empty non-terminal). */
  rrsets(name: string): ReadonlyMap<number, Answer[]> {
    return this.#nodes.get(name) ?? new Map();
  }
}

/** The name one label up; the root's parent is the root. */
export function parentName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}
