// A cache key read straight off the wire for the common query shape: one question, no answer or
// authority records, at most an OPT in additional (RFC 6891 §6.1.2). Anything else returns
// undefined and takes the full decode path.
import { MAX_MESSAGE, udpLimit } from './edns.ts';

export interface QueryKey {
  /**
   * The query as received. Its question bytes as asked (12 to `questionEnd`: name, type, class)
   * and `edns` are the key: an OPT or not, and the DO bit, shape the answer. Not the transport:
   * an answer that fits the size limit is the same bytes over UDP, TCP and HTTPS, whatever size
   * the client's EDNS allows. Read in place (no copy): the bytes must not change until the
   * answer is cached (a miss in answer-cache.ts keeps its own copy).
   */
  wire: Uint8Array;
  questionEnd: number;
  /** 0: no OPT; 1: an OPT with DO clear; 2: with DO set (RFC 6891 §6.1, RFC 3225 §3). */
  edns: number;
  /** Largest answer this query may get (RFC 1035 §4.2.1, RFC 6891 §6.2.5; 65535 off UDP). */
  limit: number;
  id: number;
  /** RD and CD bits of the query, copied into the answer (RFC 1035 §4.1.1, RFC 4035 §3.2.2). */
  echoFlags: number;
}

/** Whether two queries share a cache key: the same EDNS shape and question bytes. */
export function sameKey(a: QueryKey, b: QueryKey): boolean {
  if (a.edns !== b.edns || a.questionEnd !== b.questionEnd) return false;
  for (let i = 12; i < a.questionEnd; i++) if (a.wire[i] !== b.wire[i]) return false;
  return true;
}

const RD_CD = 0x0110;

/** `udpSize`: our largest UDP answer (edns.ts udpLimit). */
export function queryKey(q: Uint8Array, transport: string, udpSize?: number): QueryKey | undefined {
  const length = q.length;
  if (length < 17) return undefined;
  // QR=0, OPCODE=0 (RFC 1035 §4.1.1); QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT<=1.
  if (
    (q[2]! & 0xf8) !== 0 ||
    q[4] !== 0 ||
    q[5] !== 1 ||
    q[6] !== 0 ||
    q[7] !== 0 ||
    q[8] !== 0 ||
    q[9] !== 0 ||
    q[10] !== 0 ||
    q[11]! > 1
  ) {
    return undefined;
  }
  let at = 12;
  for (;;) {
    const label = q[at];
    if (label === undefined || label > 63) return undefined; // no compression in a question here
    at += label + 1;
    if (label === 0) break;
  }
  const questionEnd = at + 4;
  if (questionEnd > length) return undefined;
  let edns = 0;
  let limit = transport === 'udp' ? 512 : MAX_MESSAGE;
  if (q[11] === 1) {
    // OPT: root name, TYPE 41, CLASS = UDP size, TTL = ext-rcode, version, flags; RDLENGTH (RFC 6891 §6.1.2).
    const o = questionEnd;
    if (o + 11 > length || q[o] !== 0 || q[o + 1] !== 0 || q[o + 2] !== 41) return undefined;
    const size = (q[o + 3]! << 8) | q[o + 4]!;
    const version = q[o + 6]!;
    const rdlength = (q[o + 9]! << 8) | q[o + 10]!;
    if (version !== 0 || o + 11 + rdlength !== length) return undefined;
    edns = q[o + 7]! & 0x80 ? 2 : 1;
    if (transport === 'udp') limit = udpLimit(size, udpSize);
  } else if (questionEnd !== length) {
    return undefined;
  }
  return {
    wire: q,
    questionEnd,
    edns,
    limit,
    id: (q[0]! << 8) | q[1]!,
    echoFlags: ((q[2]! << 8) | q[3]!) & RD_CD,
  };
}
