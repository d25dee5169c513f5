// What an upstream's answer is, for caching, and how long it stays true. Pure.
import type { Answer } from 'dns-packet';
import type { Sections } from '../core/sections.ts';

/**
 * - positive: NOERROR with answers.
 * - denial: NXDOMAIN, or NODATA (NOERROR, no answer), RFC 2308 §2.1 and §2.2.
 * - failure: SERVFAIL (RFC 2308 §7.1); cached as a failure, never as data.
 * - other: FORMERR, NOTIMP, REFUSED: not cached (and, RFC 8767 §4, not a refresh of the data).
 */
export type ResponseKind = 'positive' | 'denial' | 'failure' | 'other';

export function responseKind(sections: Sections): ResponseKind {
  switch (sections.rcode) {
    case 'NOERROR':
      return sections.answers.length > 0 ? 'positive' : 'denial';
    case 'NXDOMAIN':
      return 'denial';
    case 'SERVFAIL':
      return 'failure';
    default:
      return 'other';
  }
}

/** RFC 8767 §4: NOERROR and NXDOMAIN refresh the data; any other rcode leaves it as it was. */
export const refreshesData = (sections: Sections): boolean =>
  sections.rcode === 'NOERROR' || sections.rcode === 'NXDOMAIN';

/** OPT is a pseudo-record of the hop (RFC 6891 §6.1.1): no TTL, never aged. */
export const isOpt = (record: Answer): boolean => record.type === 'OPT';

/** The TTL field of a record, 0 when absent. */
export function recordTtl(record: Answer): number {
  return 'ttl' in record && typeof record.ttl === 'number' ? record.ttl : 0;
}

/** RFC 2308 §5: the negative TTL is the smaller of the SOA's own TTL and its MINIMUM field. */
export function negativeTtl(soa: Answer): number {
  const minimum = soa.type === 'SOA' ? soa.data.minimum : undefined;
  return Math.min(recordTtl(soa), minimum ?? Number.POSITIVE_INFINITY);
}

/**
 * How long the answer as a whole stays true, in seconds: the smallest TTL of its records (OPT
 * left out), an SOA in the authority section counting for its negative TTL (RFC 2308 §5).
 * Undefined for a denial without an SOA: RFC 2308 §5 says such answers SHOULD NOT be cached ("no
 * way to prevent the negative responses looping forever between a pair of servers").
 */
export function answerTtl(sections: Sections): number | undefined {
  let ttl = Number.POSITIVE_INFINITY;
  for (const r of sections.answers) if (!isOpt(r)) ttl = Math.min(ttl, recordTtl(r));
  let soa = false;
  for (const r of sections.authorities) {
    if (isOpt(r)) continue;
    if (r.type === 'SOA') soa = true;
    ttl = Math.min(ttl, r.type === 'SOA' ? negativeTtl(r) : recordTtl(r));
  }
  for (const r of sections.additionals) if (!isOpt(r)) ttl = Math.min(ttl, recordTtl(r));
  if (responseKind(sections) === 'denial' && !soa) return undefined;
  return Number.isFinite(ttl) ? ttl : undefined;
}
