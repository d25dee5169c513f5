// A cache key read straight off the wire for the common query shape: one question, no answer or
// authority records, at most an OPT in additional (RFC 6891 §6.1.2). Anything else returns
// undefined and takes the full decode path.
import { MAX_MESSAGE, udpLimit } from './edns.ts';

export interface QueryKey {
  /**
   * Question bytes as asked (name, type, class) and the EDNS facts that shape the answer: an OPT
   * or not, and the DO bit. Not the transport: an answer that fits the size limit is the same
   * bytes over UDP, TCP and HTTPS, whatever size the client's EDNS allows.
   */
  key: string;
  /** Largest answer this query may get (RFC 1035 §4.2.1, RFC 6891 §6.2.5; 65535 off UDP). */
  limit: number;
  id: number;
  /** RD and CD bits of the query, copied into the answer (RFC 1035 §4.1.1, RFC 4035 §3.2.2). */
  echoFlags: number;
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
  let edns = 'n|';
  let limit = transport === 'udp' ? 512 : MAX_MESSAGE;
  if (q[11] === 1) {
    // OPT: root name, TYPE 41, CLASS = UDP size, TTL = ext-rcode, version, flags; RDLENGTH (RFC 6891 §6.1.2).
    const o = questionEnd;
    if (o + 11 > length || q[o] !== 0 || q[o + 1] !== 0 || q[o + 2] !== 41) return undefined;
    const size = (q[o + 3]! << 8) | q[o + 4]!;
    const version = q[o + 6]!;
    const rdlength = (q[o + 9]! << 8) | q[o + 10]!;
    if (version !== 0 || o + 11 + rdlength !== length) return undefined;
    edns = q[o + 7]! & 0x80 ? 'e1|' : 'e0|';
    if (transport === 'udp') limit = udpLimit(size, udpSize);
  } else if (questionEnd !== length) {
    return undefined;
  }
  const key = edns + latin1(q, 12, questionEnd);
  return { key, limit, id: (q[0]! << 8) | q[1]!, echoFlags: ((q[2]! << 8) | q[3]!) & RD_CD };
}

const decoder = new TextDecoder('latin1');

/** Bytes as a one-byte string (TextDecoder is in every runtime the core runs in). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}
