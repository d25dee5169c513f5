// The form in which the forward cache keeps an answer (docs/architecture.md §6.12): one string of
// bytes (each char 0-255, so V8 keeps it one byte per char), a single heap object the garbage
// collector does not trace, decoded again on every read. Pure.
//
//   byte 0      the rcode (index in RCODES)
//   bytes 1-6   the record counts of the answer, authority and additional sections (16 bits each)
//   then        the records (packed-record.ts), section after section, TTLs as stored
//
// Sections holding an OPT record (RFC 6891 §6.1.1: returned as they are) or a record that cannot
// be packed are kept as a copy of their objects instead.
import type { Answer } from 'dns-packet';
import { RCODES, type Sections } from '../core/sections.ts';
import { isOpt, recordTtl } from './response-kind.ts';
import { PackReader, PackWriter, readRecord, writeRecord } from './packed-record.ts';

export type PackedSections = string | Sections;

/** A record's TTL in a copy; `authority` says which section it is in. */
export type TtlOf = (record: Answer, authority: boolean) => number;

/** A copy of `records` with TTLs mapped (OPT untouched). */
const mapTtls = (records: readonly Answer[], ttl: (r: Answer) => number): Answer[] =>
  records.map((r) => (isOpt(r) ? r : ({ ...r, ttl: ttl(r) } as Answer)));

/** A copy of the sections (new records, same data), not authoritative, TTLs from `ttl`. */
export function copySections(sections: Sections, ttl: TtlOf): Sections {
  return {
    rcode: sections.rcode,
    aa: false,
    answers: mapTtls(sections.answers, (r) => ttl(r, false)),
    authorities: mapTtls(sections.authorities, (r) => ttl(r, true)),
    additionals: mapTtls(sections.additionals, (r) => ttl(r, false)),
  };
}

/** The sections packed, TTLs from `ttl`. */
export function packSections(sections: Sections, ttl: TtlOf): PackedSections {
  const lists = [sections.answers, sections.authorities, sections.additionals];
  const rcode = RCODES.indexOf(sections.rcode);
  if (rcode < 0 || lists.some((list) => list.some(isOpt))) return copySections(sections, ttl);
  const w = new PackWriter();
  w.u8(rcode);
  for (const list of lists) w.u16(list.length);
  for (const [i, list] of lists.entries())
    for (const r of list)
      if (!writeRecord(w, r, ttl(r, i === 1))) return copySections(sections, ttl);
  return w.finish() ?? copySections(sections, ttl);
}

/**
 * The sections as new objects: each TTL as stored less `age` seconds, never below 0 (RFC 1035
 * §6.1, RFC 2181 §8), or `ttl` for all when given (RFC 8767 §4, stale answers).
 */
export function unpackSections(packed: PackedSections, age: number, ttl = -1): Sections {
  if (typeof packed !== 'string')
    return copySections(packed, (r) => (ttl >= 0 ? ttl : Math.max(0, recordTtl(r) - age)));
  const reader = new PackReader(packed);
  const rcode = RCODES[reader.u8()]!;
  const counts = [reader.u16(), reader.u16(), reader.u16()];
  const sections: Answer[][] = [[], [], []];
  for (let s = 0; s < 3; s++)
    for (let i = counts[s]!; i > 0; i--) sections[s]!.push(readRecord(reader, age, ttl));
  const [answers, authorities, additionals] = sections as [Answer[], Answer[], Answer[]];
  return { rcode, aa: false, answers, authorities, additionals };
}
