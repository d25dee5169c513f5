// What the query log reads from a query and its reply, straight from the wire (RFC 1035 §4.1):
// header fields, the question, the EDNS OPT record (RFC 6891 §6.1), the first answer's type and
// what the authority section holds. Never throws: a field it cannot read is absent. Names are
// skipped as the metrics skip them (functions/core/wire-name.ts).
import { skipName } from '../core/wire-name.ts';

export interface QueryFields {
  id: number;
  opcode: number;
  /** Lowercase with a trailing dot (CoreDNS `state.Name()`); undefined without a question. */
  name?: string;
  type?: number;
  class?: number;
  /** Whether the query has an OPT record, its DO bit (RFC 3225 §3) and payload size. */
  edns: boolean;
  do: boolean;
  udpSize: number;
}

export interface ReplyFields {
  /** The header's flags word (QR, AA, TC, RD, RA, Z, AD, CD). */
  flags: number;
  opcode: number;
  /** With the OPT record's extended bits (RFC 6891 §6.1.3). */
  rcode: number;
  answers: number;
  /** Type of the first answer record. */
  firstAnswerType?: number;
  /** Type of the question the reply echoes. */
  questionType?: number;
  /** Whether the authority section holds an SOA, and how many NS records. */
  authoritySoa: boolean;
  authorityNs: number;
}

const OPT = 41;
const SOA = 6;
const NS = 2;
const DO = 0x8000;

/** Label bytes that print as themselves: not uppercase, not escaped (labelChar). */
const PLAIN = new Uint8Array(256);
for (let b = 0x21; b < 0x7f; b++) PLAIN[b] = b >= 0x41 && b <= 0x5a ? 0 : 1;
for (const c of '.\\"();@$') PLAIN[c.charCodeAt(0)] = 0;

/** The name's bytes as they print, gathered here before one decode (a name is at most 255). */
const scratch = Buffer.alloc(1024);

/** The name at `at` in presentation form (lowercase, escaped, trailing dot); pointers followed. */
function readName(m: Uint8Array, at: number): string | undefined {
  let n = 0;
  for (let hops = 0; hops < 64 && at < m.length;) {
    const len = m[at]!;
    if (len === 0) return n === 0 ? '.' : scratch.toString('latin1', 0, n);
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= m.length) return undefined;
      at = ((len & 0x3f) << 8) | m[at + 1]!;
      hops++;
      continue;
    }
    if (len > 63 || at + 1 + len > m.length) return undefined;
    for (let i = at + 1; i <= at + len; i++) {
      const b = m[i]!;
      if (PLAIN[b]) scratch[n++] = b;
      else if (b >= 0x41 && b <= 0x5a) scratch[n++] = b + 0x20;
      else for (const c of labelChar(b)) scratch[n++] = c.charCodeAt(0);
    }
    scratch[n++] = 0x2e;
    at += 1 + len;
  }
  return undefined;
}

/** One label byte as Go's miekg/dns prints it: lowercase, `\.` style escapes, `\DDD` otherwise. */
function labelChar(b: number): string {
  if (b >= 0x41 && b <= 0x5a) return String.fromCharCode(b + 0x20);
  if (b <= 0x20 || b >= 0x7f) return `\\${String(b).padStart(3, '0')}`;
  const c = String.fromCharCode(b);
  return '.\\"();@$'.includes(c) ? `\\${c}` : c;
}

const u16 = (m: Uint8Array, at: number) => (m[at]! << 8) | m[at + 1]!;

/** Offset after the question section, or -1. */
function afterQuestions(m: Uint8Array): number {
  let at = 12;
  for (let n = u16(m, 4); n > 0 && at >= 0; n--) {
    at = skipName(m, at);
    if (at >= 0) at = at + 4 <= m.length ? at + 4 : -1;
  }
  return at;
}

/** Offset of the OPT record's class field (its payload size) in the additional section, or -1. */
function optAt(m: Uint8Array): number {
  const additional = u16(m, 10);
  if (additional === 0) return -1;
  let at = afterQuestions(m);
  const before = u16(m, 6) + u16(m, 8);
  for (let i = 0; i < before + additional; i++) {
    if (at < 0) return -1;
    at = skipName(m, at);
    if (at < 0 || at + 10 > m.length) return -1;
    if (i >= before && u16(m, at) === OPT) return at + 2;
    at += 10 + u16(m, at + 8);
  }
  return -1;
}

export function queryFields(query: Uint8Array): QueryFields | undefined {
  if (query.length < 12) return undefined;
  const out: QueryFields = {
    id: u16(query, 0),
    opcode: (query[2]! >> 3) & 0xf,
    name: undefined,
    type: undefined,
    class: undefined,
    edns: false,
    do: false,
    udpSize: 0,
  };
  if (u16(query, 4) > 0) {
    const end = skipName(query, 12);
    const name = end > 0 && end + 4 <= query.length ? readName(query, 12) : undefined;
    if (name !== undefined) {
      out.name = name;
      out.type = u16(query, end);
      out.class = u16(query, end + 2);
    }
  }
  const opt = optAt(query);
  if (opt >= 0) {
    out.edns = true;
    out.udpSize = u16(query, opt);
    out.do = (u16(query, opt + 4) & DO) !== 0;
  }
  return out;
}

export function replyFields(reply: Uint8Array): ReplyFields | undefined {
  if (reply.length < 12) return undefined;
  const flags = u16(reply, 2);
  const out: ReplyFields = {
    flags,
    opcode: (flags >> 11) & 0xf,
    rcode: flags & 0xf,
    answers: u16(reply, 6),
    firstAnswerType: undefined,
    questionType: undefined,
    authoritySoa: false,
    authorityNs: 0,
  };
  if (u16(reply, 4) > 0) {
    const end = skipName(reply, 12);
    if (end > 0 && end + 2 <= reply.length) out.questionType = u16(reply, end);
  }
  let at = afterQuestions(reply);
  const answers = out.answers;
  const authority = answers + u16(reply, 8);
  const records = authority + u16(reply, 10);
  for (let i = 0; i < records; i++) {
    if (at < 0) break;
    at = skipName(reply, at);
    if (at < 0 || at + 10 > reply.length) break;
    const type = u16(reply, at);
    if (i < answers) {
      if (i === 0) out.firstAnswerType = type;
    } else if (i < authority) {
      if (type === SOA) out.authoritySoa = true;
      else if (type === NS) out.authorityNs++;
    }
    // The OPT's TTL field starts with the upper 8 bits of the rcode.
    else if (type === OPT) out.rcode |= reply[at + 4]! << 4;
    at += 10 + u16(reply, at + 8);
  }
  return out;
}
