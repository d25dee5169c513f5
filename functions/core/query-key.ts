// A cache key read straight off the wire for the common query shape: one question, no answer or
// authority records, at most an OPT in additional (RFC 6891 §6.1.2). Anything else returns
// undefined and takes the full decode path.
import { udpLimit } from './edns.ts';

export interface QueryKey {
  /** Question bytes as asked (name, type, class) plus the EDNS facts that shape the answer. */
  key: string;
  id: number;
  /** RD and CD bits of the query, copied into the answer (RFC 1035 §4.1.1, RFC 4035 §3.2.2). */
  echoFlags: number;
}

const RD_CD = 0x0110;

export function queryKey(q: Uint8Array, transport: string): QueryKey | undefined {
  const length = q.length;
  if (length < 17) return undefined;
  // QR=0, OPCODE=0 (RFC 1035 §4.1.1); QDCOUNT=1, ANCOUNT=0, NSCOUNT=0, ARCOUNT<=1.
  if ((q[2]! & 0xf8) !== 0 || q[4] !== 0 || q[5] !== 1 || q[6] !== 0 || q[7] !== 0 || q[8] !== 0 || q[9] !== 0 || q[10] !== 0 || q[11]! > 1) {
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
  let edns = 'none';
  if (q[11] === 1) {
    // OPT: root name, TYPE 41, CLASS = UDP size, TTL = ext-rcode, version, flags; RDLENGTH (RFC 6891 §6.1.2).
    const o = questionEnd;
    if (o + 11 > length || q[o] !== 0 || q[o + 1] !== 0 || q[o + 2] !== 41) return undefined;
    const size = (q[o + 3]! << 8) | q[o + 4]!;
    const version = q[o + 6]!;
    const rdlength = (q[o + 9]! << 8) | q[o + 10]!;
    if (version !== 0 || o + 11 + rdlength !== length) return undefined;
    const doBit = q[o + 7]! & 0x80;
    edns = `${transport === 'udp' ? udpLimit(size) : 0}/${doBit}`;
  } else if (questionEnd !== length) {
    return undefined;
  }
  const question = latin1(q, 12, questionEnd);
  const key = `${transport === 'udp' ? 'u' : 't'}${edns}|${question}`;
  return { key, id: (q[0]! << 8) | q[1]!, echoFlags: ((q[2]! << 8) | q[3]!) & RD_CD };
}

const decoder = new TextDecoder('latin1');

/** Bytes as a one-byte string (TextDecoder is in every runtime the core runs in). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}
