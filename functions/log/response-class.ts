// The classes the query log filters on, as CoreDNS's response.Typify and response.Classify sort a
// reply: success (NOERROR with answers, a referral, or NOERROR without an SOA), denial (NXDOMAIN
// or NODATA, each with the zone's SOA: RFC 2308 §2), error (everything else: SERVFAIL, REFUSED,
// FORMERR, NOTIMP, an NXDOMAIN without SOA, zone transfers, NOTIFY and UPDATE).
import type { ReplyFields } from './message-fields.ts';

export type ResponseClass = 'success' | 'denial' | 'error';
export const LOG_CLASSES = ['all', 'success', 'denial', 'error'] as const;
export type LogClass = (typeof LOG_CLASSES)[number];

const NOERROR = 0;
const NXDOMAIN = 3;
const NOTIFY = 4;
const UPDATE = 5;
const IXFR = 251;
const AXFR = 252;

export function responseClass(reply: ReplyFields): ResponseClass {
  // CoreDNS types these Meta and Update, which Classify counts as errors.
  if (reply.opcode === NOTIFY || reply.opcode === UPDATE) return 'error';
  if (reply.questionType === AXFR || reply.questionType === IXFR) return 'error';
  if (reply.answers > 0 && reply.rcode === NOERROR) return 'success';
  if (reply.authoritySoa && (reply.rcode === NOERROR || reply.rcode === NXDOMAIN)) return 'denial';
  return reply.rcode === NOERROR ? 'success' : 'error';
}
