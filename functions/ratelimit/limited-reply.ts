// The reply to a query over its rate limit (functions/dns53/question-reply.ts): the question
// alone, no OPT even if the query had one, so that it is never longer than the query (no
// amplification). UDP's slip sets TC (RFC 1035 §4.2.1: ask again over TCP); TCP gets REFUSED.
import { questionReply } from '../dns53/question-reply.ts';

export function limitedReply(query: Uint8Array, kind: 'truncated' | 'refused'): Buffer | null {
  return kind === 'truncated'
    ? questionReply(query, { rcode: 0, truncated: true })
    : questionReply(query, { rcode: 5 });
}
