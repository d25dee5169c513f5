// The checks NSD's zone compiler makes while it reads a zone (nsd-checkzone), as errors naming
// the record's file and line: exactly one SOA, at the origin; no data outside the zone; a CNAME
// alone at its name (RFC 1034 §3.6.2, RFC 2181 §10.1), one DNAME and no CNAME beside it, nothing
// below a DNAME (RFC 6672 §2.4). Duplicate records are dropped (RFC 2181 §5).
import type { Answer } from 'dns-packet';
import { isInZone } from './domain-name.ts';
import { fail, type Position } from './zone-file-error.ts';

/** What may stand beside a CNAME: DNSSEC's own records (RFC 4035 §2.5), by type number. */
const BESIDE_CNAME = new Set(['RRSIG', 'NSEC', 'NSEC3', 'UNKNOWN_46', 'UNKNOWN_47', 'UNKNOWN_50']);

interface Held {
  record: Answer;
  at: Position;
  key: string;
}

export class ZoneCheck {
  readonly #origin: string;
  /** owner -> type -> records, in the order read. */
  readonly #names = new Map<string, Map<string, Held[]>>();
  readonly #records: Held[] = [];

  constructor(origin: string) {
    this.#origin = origin;
  }

  /** Checks `record` against what was read before it; false for a duplicate (dropped). */
  add(record: Answer, at: Position): boolean {
    const owner = record.name;
    const type = record.type as string;
    if (!isInZone(owner, this.#origin))
      fail(at, `out of zone data: '${owner}' is outside the zone '${this.#origin}'`);
    if (type === 'SOA' && owner !== this.#origin)
      fail(at, `SOA record with invalid domain name, '${owner}' is not '${this.#origin}'`);
    if (type === 'SOA' && this.#records.some((h) => h.record.type === 'SOA'))
      fail(at, 'this SOA record was already encountered');
    const types = this.#names.get(owner) ?? new Map<string, Held[]>();
    this.#names.set(owner, types);
    const set = types.get(type) ?? [];
    const key = rdataKey(record);
    if (set.some((h) => h.key === key)) return false;
    if (type === 'CNAME' && set.length > 0) fail(at, 'multiple CNAMEs at the same name');
    if (type === 'DNAME' && set.length > 0) fail(at, 'multiple DNAMEs at the same name');
    const has = (t: string) => types.has(t);
    if ((type === 'CNAME' && has('DNAME')) || (type === 'DNAME' && has('CNAME')))
      fail(at, 'DNAME and CNAME at the same name');
    const others = [...types.keys()].some((t) => t !== 'CNAME' && !BESIDE_CNAME.has(t));
    if ((type === 'CNAME' && others) || (has('CNAME') && !BESIDE_CNAME.has(type)))
      fail(at, 'CNAME and other data at the same name');
    const held = { record, at, key };
    types.set(type, [...set, held]);
    this.#records.push(held);
    return true;
  }

  /** The zone's records once every file is read; `end` is where reading ended. */
  finish(end: Position): Answer[] {
    if (!this.#records.some((h) => h.record.type === 'SOA'))
      fail(end, `zone '${this.#origin}' has no SOA record`);
    for (const held of this.#records) {
      for (let above = parent(held.record.name); above !== undefined; above = parent(above)) {
        if (this.#names.get(above)?.has('DNAME'))
          fail(
            held.at,
            `'${held.record.name}' is below the DNAME at '${above}', which allows no data below it`,
          );
      }
    }
    return this.#records.map((h) => h.record);
  }
}

function parent(name: string): string | undefined {
  if (name === '') return undefined;
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

/** Records with equal keys have equal RDATA (names are canonical already). */
function rdataKey(record: Answer): string {
  return JSON.stringify((record as { data?: unknown }).data, (_, v: unknown) =>
    v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer'
      ? `hex:${Buffer.from((v as { data: number[] }).data).toString('hex')}`
      : v,
  );
}
