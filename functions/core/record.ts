// The record model: what the builder produces, the store keeps and the resolver reads.
// Names are canonical: lowercase, no trailing dot (docs/architecture.md §5.1).

/** SRV rdata, RFC 2782. */
export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** One RRset (RFC 2181 §5): all records of one type at one owner name, one TTL. */
export type RecordSet =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS'; ttl: number; data: string[] }
  | { type: 'SRV'; ttl: number; data: SrvData[] }
  /** Each TXT record is a list of character-strings (RFC 1035 §3.3.14). */
  | { type: 'TXT'; ttl: number; data: string[][] };

export type RecordType = RecordSet['type'];

/**
 * Everything stored at one owner name. `sets` empty = an empty non-terminal: the name exists
 * (NODATA, RFC 8020), it just has no records.
 */
export interface NameNode {
  name: string;
  sets: RecordSet[];
  /**
   * Synthesis for children of this name. 'dashed-ip': a child label that is a dashed IP address
   * (`10-0-0-1`, `fd00--1`) answers A/AAAA with that address (CoreDNS `pods insecure`).
   * 'zonal': the node `_zone.<svc>.<ns>.svc.<zone>` of a headless Service carries its zonal names
   * (zonal-name.ts, docs/architecture.md §6.20); it is no owner name itself.
   */
  synth?: SynthKind;
}

export type SynthKind = 'dashed-ip' | 'zonal';

/** Canonical form of a DNS name: lowercase, no trailing dot; the root is ''. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
