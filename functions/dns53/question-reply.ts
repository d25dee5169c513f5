// A reply made from the query alone: its header and its one question (RFC 1035 §4.1), QR set,
// ID, opcode and RD kept, no records, for answers decided before any lookup (a rate limit, an
// ACL). With `ede`, and only if the query had an OPT record (RFC 6891 §7), an OPT carrying an
// Extended DNS Error (RFC 8914 §2: option 15) follows, echoing the query's DO bit and advertising
// `udpSize`. A message that is not a query with one whole question gets nothing (null).
import { skipName } from '../core/wire-name.ts';

const QR = 0x80;
const TC = 0x02;
const OPT = 41;
const EDE_OPTION = 15;

export interface QuestionReplyOptions {
  /** RFC 1035 §4.1.1 (0..15). */
  rcode: number;
  truncated?: boolean;
  /** RFC 8914 §4 INFO-CODE (15 Blocked, 17 Filtered, ...). */
  ede?: number;
  udpSize?: number;
}

export function questionReply(query: Uint8Array, o: QuestionReplyOptions): Buffer | null {
  if (query.length < 17 || query[2]! & QR || query[4] !== 0 || query[5] !== 1) return null;
  const end = skipName(query, 12) + 4;
  if (end < 4 || end > query.length) return null;
  const opt = o.ede === undefined ? -1 : optAt(query, end);
  const reply = Buffer.alloc(end + (opt < 0 ? 0 : 17));
  reply.set(query.subarray(0, end));
  // Opcode and RD kept; AA, TC, Z, AD, CD and RA clear (no recursion offered here).
  reply[2] = QR | (query[2]! & 0x79) | (o.truncated ? TC : 0);
  reply[3] = o.rcode & 0xf;
  reply.fill(0, 6, 12);
  if (opt >= 0) {
    reply[11] = 1; // ARCOUNT
    let at = end;
    reply[at++] = 0; // root owner
    reply.writeUInt16BE(OPT, at);
    reply.writeUInt16BE(o.udpSize ?? 1232, at + 2);
    reply[at + 4] = 0; // extended rcode
    reply[at + 5] = 0; // version
    reply[at + 6] = query[opt + 6]! & 0x80; // DO echoed (RFC 3225 §3)
    reply[at + 7] = 0;
    reply.writeUInt16BE(6, at + 8); // RDLENGTH
    reply.writeUInt16BE(EDE_OPTION, at + 10);
    reply.writeUInt16BE(2, at + 12);
    reply.writeUInt16BE(o.ede!, at + 14);
  }
  return reply;
}

/** Offset of the query's OPT record's TYPE field among its records after `at`, or -1. */
function optAt(q: Uint8Array, at: number): number {
  const records = ((q[6]! << 8) | q[7]!) + ((q[8]! << 8) | q[9]!) + ((q[10]! << 8) | q[11]!);
  for (let i = 0; i < records; i++) {
    const type = skipName(q, at);
    if (type < 0 || type + 10 > q.length) return -1;
    if (q[type] === 0 && q[type + 1] === OPT) return type;
    at = type + 10 + ((q[type + 8]! << 8) | q[type + 9]!);
  }
  return -1;
}
