// The reply to a query over its rate limit, made from the query itself: its header and question
// (RFC 1035 §4.1), QR set, no records, and no OPT even if the query had one, so that it is never
// longer than the query (no amplification). UDP's slip sets TC (RFC 1035 §4.2.1: ask again over
// TCP); TCP gets REFUSED (RFC 1035 §4.1.1). A query without one whole question gets nothing.
import { skipName } from '../observe/message-labels.ts';

const QR = 0x80;
const TC = 0x02;
const REFUSED = 5;

export function limitedReply(query: Uint8Array, kind: 'truncated' | 'refused'): Buffer | null {
  if (query.length < 17 || query[2]! & QR || query[4] !== 0 || query[5] !== 1) return null;
  const end = skipName(query, 12, false);
  if (end < 0 || end + 4 > query.length) return null;
  const reply = Buffer.from(query.subarray(0, end + 4));
  // Opcode and RD kept (RFC 1035 §4.1.1); AA, TC, Z, AD, CD cleared; RA clear (no recursion here).
  reply[2] = QR | (query[2]! & 0x79) | (kind === 'truncated' ? TC : 0);
  reply[3] = kind === 'refused' ? REFUSED : 0;
  reply.fill(0, 6, 12); // ANCOUNT, NSCOUNT, ARCOUNT
  return reply;
}
