// The sections of an authoritative answer as NSD assembles them (answer.c): RRsets added in the
// order the lookup finds them, each at most once; one added again to an earlier section moves
// there. Apex NS on positive answers is "optional authority", and additional addresses come A
// first, then AAAA.
import type { Answer } from 'dns-packet';
import type { Rcode, Sections } from '../core/sections.ts';
import { canonicalName } from '../core/record.ts';

export const Section = {
  answer: 0,
  authority: 1,
  optionalAuthority: 2,
  additionalA: 3,
  additionalAaaa: 4,
} as const;
export type Section = (typeof Section)[keyof typeof Section];

interface Entry {
  section: Section;
  key: string;
  records: Answer[];
}

export class ResponseBuilder {
  rcode: Rcode = 'NOERROR';
  aa = true;
  readonly #entries: Entry[] = [];

  /**
   * Adds an RRset. `key` tells RRsets apart: the owner written and the RRset it came from (a
   * wildcard's RRset written at two names is two RRsets). False when it was there already, in
   * this section or an earlier one: a CNAME seen twice is a loop.
   */
  add(section: Section, key: string, records: Answer[]): boolean {
    const held = this.#entries.find((e) => e.key === key);
    if (held) {
      if (section >= held.section) return false;
      held.section = section;
      return true;
    }
    this.#entries.push({ section, key, records });
    return true;
  }

  /** Whether the answer section holds a CNAME from `owner` to `target` (a synthesized loop). */
  hasCname(owner: string, target: string): boolean {
    return this.#entries.some(
      (e) =>
        e.section === Section.answer &&
        e.records.some(
          (rr) => rr.type === 'CNAME' && rr.name === owner && canonicalName(rr.data) === target,
        ),
    );
  }

  /**
   * The sections; owners equal to the question name take its spelling, as a reply whose owners
   * point at the question does (RFC 1035 §4.1.4).
   */
  sections(qname: string): Sections {
    const name = canonicalName(qname);
    const spelled = (rr: Answer): Answer => (rr.name === name ? { ...rr, name: qname } : rr);
    const of = (...sections: Section[]) =>
      sections.flatMap((s) =>
        this.#entries.filter((e) => e.section === s).flatMap((e) => e.records.map(spelled)),
      );
    return {
      rcode: this.rcode,
      aa: this.aa,
      answers: of(Section.answer),
      authorities: of(Section.authority, Section.optionalAuthority),
      additionals: of(Section.additionalA, Section.additionalAaaa),
    };
  }
}
