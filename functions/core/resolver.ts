import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { answerQuestion, type AnswerContext, type Rcode, type Sections } from './answer.ts';
import { encodeWithin } from './truncate.ts';
import { queryKey } from './query-key.ts';
import type { AnswerCache } from './answer-cache.ts';

export interface ResolverContext extends AnswerContext {
  /** Encoded answers for stores whose `version` tracks their data (see AnswerCache). */
  answerCache?: AnswerCache;
}

/** Our EDNS(0) UDP payload size (DNS flag day 2020), advertised in every EDNS answer. */
export const EDNS_UDP_SIZE = 1232;
/** Largest DNS message: the 2-byte length of TCP framing and DoH's limit (RFC 7766 §8). */
export const MAX_MESSAGE = 65535;

export type Transport = 'udp' | 'tcp' | 'https';

const RCODE: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const BADVERS = 16; // RFC 6891 §6.1.3
const QR = 0x8000;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const RD = dnsPacket.RECURSION_DESIRED;
const CD = 1 << 4;

/**
 * One query in wire format to one response in wire format, or null when nothing should be sent
 * (shorter than a header, or itself a response: RFC 1035 §4.1.1). Never throws for bad input.
 */
export async function resolve(query: Uint8Array, transport: Transport, ctx: ResolverContext): Promise<Buffer | null> {
  const cache = ctx.answerCache;
  const key = cache ? queryKey(query, transport) : undefined;
  if (!cache || !key) return resolveMessage(query, transport, ctx);
  const version = ctx.store.version;
  const hit = cache.get(key, version);
  if (hit) return hit;
  const answer = await resolveMessage(query, transport, ctx);
  // SERVFAIL says the data could not be read: never keep it (RFC 2308 §7.1 allows, we do not).
  if (answer && (answer[3]! & 0xf) !== RCODE.SERVFAIL) cache.set(key, version, answer);
  return answer;
}

async function resolveMessage(query: Uint8Array, transport: Transport, ctx: AnswerContext): Promise<Buffer | null> {
  if (query.length < 12) return null;
  const wire = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
  const id = wire.readUInt16BE(0);
  const flags = wire.readUInt16BE(2);
  if (flags & QR) return null;
  const opcode = (flags >> 11) & 0xf;
  const echo = flags & (RD | CD) | (opcode << 11);

  let packet: Packet;
  try {
    packet = dnsPacket.decode(wire);
  } catch {
    return header(id, echo, 'FORMERR');
  }
  const questions = packet.questions ?? [];
  const question = questions[0];
  // RFC 1035 §4.1.1 opcode; RFC 9619: QDCOUNT must be 1 for QUERY.
  if (opcode !== 0) return encode({ id, flags: echo | RCODE.NOTIMP, questions: question ? [question] : [] }, 512);
  if (questions.length !== 1 || !question) return header(id, echo, 'FORMERR');

  const opts = (packet.additionals ?? []).filter((rr) => rr.type === 'OPT');
  if (opts.length > 1) return header(id, echo, 'FORMERR'); // RFC 6891 §6.1.1
  const opt = opts[0] as (Answer & { udpPayloadSize: number; ednsVersion: number; flags: number }) | undefined;
  const limit = transport !== 'udp' ? MAX_MESSAGE : opt ? Math.max(512, Math.min(opt.udpPayloadSize, EDNS_UDP_SIZE)) : 512;
  const ednsOut = (extendedRcode = 0): Answer[] =>
    opt ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode, ednsVersion: 0, flags: opt.flags & 0x8000 } as unknown as Answer] : [];
  if (opt && opt.ednsVersion !== 0) {
    return encode({ id, flags: echo, questions: [question], additionals: ednsOut(BADVERS >> 4) }, limit);
  }

  const sections = await answerFor(question, ctx);
  const out: Packet = {
    id,
    type: 'response',
    flags: echo | (sections.aa ? AA : 0) | RCODE[sections.rcode],
    questions: [question],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: [...sections.additionals, ...ednsOut()],
  };
  return encodeWithin(out, limit);
}

function answerFor(question: { name: string; type: string; class?: string }, ctx: AnswerContext): Promise<Sections> | Sections {
  const qclass = question.class ?? 'IN';
  const none = (rcode: Rcode): Sections => ({ rcode, aa: false, answers: [], authorities: [], additionals: [] });
  if (qclass !== 'IN' && qclass !== 'ANY') return none('REFUSED'); // only class IN is served
  if (question.type === 'AXFR' || question.type === 'IXFR') return none('REFUSED'); // RFC 5936 §4.2
  if (question.type === 'MAILA' || question.type === 'MAILB' || question.type === 'OPT') return none('NOTIMP');
  return answerQuestion(question.name === '.' ? '' : question.name, question.type, ctx);
}

function header(id: number, flags: number, rcode: Rcode): Buffer {
  return encode({ id, flags: flags | RCODE[rcode] }, 512);
}

function encode(packet: Packet, limit: number): Buffer {
  return encodeWithin({ type: 'response', questions: [], answers: [], authorities: [], additionals: [], ...packet }, limit);
}
