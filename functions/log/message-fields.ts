// What the query log reads from a query and its reply, straight from the wire (RFC 1035 §4.1):
// header fields, the question, the EDNS OPT record (RFC 6891 §6.1), the first answer's type and
// what the authority section holds. Never throws: a field it cannot read is absent.

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

/** A name's end offset (after its last label or pointer), or -1 when it runs off the message. */
function skipName(m: Uint8Array, at: number): number {
  while (at < m.length) {
    const len = m[at]!;
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2 <= m.length ? at + 2 : -1;
    at += 1 + len;
  }
  return -1;
}

/** The name at `at` in presentation form (lowercase, escaped, trailing dot); pointers followed. */
function readName(m: Uint8Array, at: number): string | undefined {
  let out = '';
  for (let hops = 0; hops < 64 && at < m.length;) {
    const len = m[at]!;
    if (len === 0) return out === '' ? '.' : out;
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= m.length) return undefined;
      at = ((len & 0x3f) << 8) | m[at + 1]!;
      hops++;
      continue;
    }
    if (len > 63 || at + 1 + len > m.length) return undefined;
    for (let i = at + 1; i <= at + len; i++) out += labelChar(m[i]!);
    out += '.';
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

interface RecordVisit {
  section: 'answer' | 'authority' | 'additional';
  type: number;
  /** Offset of the class field (OPT: the payload size). */
  at: number;
}

/** Calls `visit` for each record after the question, until the message ends or `visit` is true. */
function eachRecord(m: Uint8Array, visit: (r: RecordVisit) => boolean | void): void {
  let at = afterQuestions(m);
  const counts = [u16(m, 6), u16(m, 8), u16(m, 10)];
  const sections = ['answer', 'authority', 'additional'] as const;
  for (let s = 0; s < 3; s++) {
    for (let n = counts[s]!; n > 0; n--) {
      if (at < 0) return;
      at = skipName(m, at);
      if (at < 0 || at + 10 > m.length) return;
      if (visit({ section: sections[s]!, type: u16(m, at), at: at + 2 })) return;
      at += 10 + u16(m, at + 8);
    }
  }
}

export function queryFields(query: Uint8Array): QueryFields | undefined {
  if (query.length < 12) return undefined;
  const out: QueryFields = {
    id: u16(query, 0),
    opcode: (query[2]! >> 3) & 0xf,
    edns: false,
    do: false,
    udpSize: 0,
  };
  if (u16(query, 4) > 0) {
    const end = skipName(query, 12);
    const name = readName(query, 12);
    if (end > 0 && end + 4 <= query.length && name !== undefined) {
      out.name = name;
      out.type = u16(query, end);
      out.class = u16(query, end + 2);
    }
  }
  eachRecord(query, (r) => {
    if (r.section !== 'additional' || r.type !== OPT) return false;
    out.edns = true;
    out.udpSize = u16(query, r.at);
    out.do = (u16(query, r.at + 4) & DO) !== 0;
    return true;
  });
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
    authoritySoa: false,
    authorityNs: 0,
  };
  if (u16(reply, 4) > 0) {
    const end = skipName(reply, 12);
    if (end > 0 && end + 2 <= reply.length) out.questionType = u16(reply, end);
  }
  eachRecord(reply, (r) => {
    if (r.section === 'answer' && out.firstAnswerType === undefined) out.firstAnswerType = r.type;
    else if (r.section === 'authority' && r.type === SOA) out.authoritySoa = true;
    else if (r.section === 'authority' && r.type === NS) out.authorityNs++;
    // The OPT's TTL field starts with the upper 8 bits of the rcode.
    else if (r.section === 'additional' && r.type === OPT) out.rcode |= reply[r.at + 2]! << 4;
  });
  return out;
}
