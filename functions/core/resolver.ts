import * as dnsPacket from 'dns-packet';
import type { Answer, Packet, Question } from 'dns-packet';
import { answerQuestion, type AnswerContext } from './answer.ts';
import { emptySections, type Rcode, type Sections } from './sections.ts';
import { EDNS_UDP_SIZE, MAX_MESSAGE, udpLimit } from './edns.ts';
import { encodeWithin, lostRecords } from './truncate.ts';
import { queryKey } from './query-key.ts';
import type { AnswerCache } from './answer-cache.ts';
import { LOOP_MARK_OPTION, type ForwardFlags } from './forwarder.ts';
import { canonicalName } from './record.ts';
import type { PluginQuery } from './plugin.ts';
import { blockFor, type ServerBlockChain } from './server-blocks.ts';

export type Transport = 'udp' | 'tcp' | 'https';

export interface ResolverContext extends AnswerContext {
  /** Encoded answers for stores whose `version` tracks their data (see AnswerCache). */
  answerCache?: AnswerCache;
  /**
   * Milliseconds (the container passes Date.now): the age of forwarded answers in the answer
   * cache. The core reads no clock; without one, forwarded answers are not cached there.
   */
  now?: () => number;
  /**
   * Server blocks with plugin chains (a Corefile): when set, every question goes through the
   * block of its longest matching zone instead of `zones` and `forward` (docs/architecture.md §7).
   */
  blocks?: readonly ServerBlockChain[];
  /**
   * Changes every reply in place just before it goes out, from the answer cache or not: a plugin
   * that works on the encoded reply (loadbalance's round robin, docs/architecture.md §7).
   */
  after?: (reply: Buffer) => void;
  /** Our largest UDP answer and the size our OPT advertises (CoreDNS `bufsize`, 512..4096);
   *  default EDNS_UDP_SIZE. A client advertising more is answered within this (RFC 6891 §6.2.5). */
  udpSize?: number;
}

/** The client of a query, when the transport knows it (plugins such as `template` read it). */
export type Remote = PluginQuery['remote'];

const RCODE: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
};
const BADVERS = 16; // RFC 6891 §6.1.3
const QR = 0x8000;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const RD = dnsPacket.RECURSION_DESIRED;
const CD = 1 << 4;
const RA = dnsPacket.RECURSION_AVAILABLE;
const DO = 0x8000; // RFC 3225 §3: the DO bit of the OPT record's flags
/** Answers holding forwarded records, whose TTLs age: how long (ms) the answer cache may keep each. */
const forwarded = new WeakMap<Buffer, number>();
/** Forwarded answers that came from the forwarder's cache rather than an upstream. */
const fromForwardCache = new WeakSet<Buffer>();
/** Answers the answer cache must not keep (Sections.volatile). */
const volatile = new WeakSet<Buffer>();

/**
 * Which part wrote a reply `resolve` returned, for metrics (CoreDNS's `plugin` label): 'forward'
 * for an upstream's answer, 'cache' for the forward cache's (fresh, stale, or a remembered
 * failure), undefined for our zones' answers and the server's own errors (tell those apart by the
 * AA bit). Answer-cache hits are new copies, known to the caller: `resolveNow` returns them at once.
 */
export function forwardSource(reply: Uint8Array): 'forward' | 'cache' | undefined {
  const b = reply as Buffer;
  return fromForwardCache.has(b) ? 'cache' : forwarded.has(b) ? 'forward' : undefined;
}

type Opt = {
  udpPayloadSize: number;
  ednsVersion: number;
  flags: number;
  options?: { code: number; data?: Uint8Array }[];
};

/**
 * One query in wire format to one response in wire format, or null when nothing should be sent
 * (shorter than a header, or itself a response: RFC 1035 §4.1.1). Never throws for bad input.
 */
export async function resolve(
  query: Uint8Array,
  transport: Transport,
  ctx: ResolverContext,
  remote?: Remote,
): Promise<Buffer | null> {
  return resolveNow(query, transport, ctx, remote);
}

/**
 * As `resolve`, but a cached answer comes back synchronously: transports save a turn of the
 * event loop on the common path.
 */
export function resolveNow(
  query: Uint8Array,
  transport: Transport,
  ctx: ResolverContext,
  remote?: Remote,
): Buffer | null | Promise<Buffer | null> {
  const after = ctx.after;
  const reply = resolveCached(query, transport, ctx, remote);
  if (!after) return reply;
  if (reply instanceof Promise) return reply.then((r) => (r && after(r), r));
  if (reply) after(reply);
  return reply;
}

function resolveCached(
  query: Uint8Array,
  transport: Transport,
  ctx: ResolverContext,
  remote: Remote,
): Buffer | null | Promise<Buffer | null> {
  const cache = ctx.answerCache;
  const key = cache ? queryKey(query, transport, ctx.udpSize) : undefined;
  if (!cache || !key) return resolveMessage(query, transport, ctx, remote);
  const version = ctx.store.version;
  const hit = cache.get(key, version, ctx.now);
  if (hit) return hit;
  return resolveMessage(query, transport, ctx, remote).then((answer) => {
    if (!answer || volatile.has(answer)) return answer;
    const keepMs = forwarded.get(answer);
    const whole = !lostRecords(answer);
    if (keepMs === undefined) {
      // SERVFAIL says the data could not be read: never keep it.
      if ((answer[3]! & 0xf) !== RCODE.SERVFAIL) cache.set(key, version, answer, whole);
    } else if (keepMs > 0 && ctx.now) {
      // A forwarded answer ages: its TTLs count down from now (answer-cache.ts setAging).
      cache.setAging(key, version, answer, ctx.now(), keepMs, whole);
    }
    return answer;
  });
}

async function resolveMessage(
  query: Uint8Array,
  transport: Transport,
  ctx: AnswerContext & Pick<ResolverContext, 'blocks' | 'udpSize'>,
  remote: Remote,
): Promise<Buffer | null> {
  if (query.length < 12) return null;
  const wire = Buffer.from(query.buffer, query.byteOffset, query.byteLength);
  const id = wire.readUInt16BE(0);
  const flags = wire.readUInt16BE(2);
  if (flags & QR) return null;
  const opcode = (flags >> 11) & 0xf;
  const reply = (flagsOut: number, rest: Partial<Packet> = {}, limit = 512, raw?: Uint8Array) =>
    encodeWithin(
      {
        id,
        type: 'response',
        flags: (flags & (RD | CD)) | (opcode << 11) | (ctx.forward ? RA : 0) | flagsOut,
        ...rest,
      },
      limit,
      raw,
    );

  let packet: Packet;
  try {
    packet = dnsPacket.decode(wire);
  } catch {
    return reply(RCODE.FORMERR);
  }
  const questions = packet.questions ?? [];
  const question = questions[0];
  const raw = question && questions.length === 1 ? rawQuestion(wire) : undefined;
  // RFC 1035 §4.1.1 opcode; RFC 9619: QDCOUNT must be 1 for QUERY.
  if (opcode !== 0) return reply(RCODE.NOTIMP, { questions: raw ? [question!] : [] }, 512, raw);
  if (!question || !raw) return reply(RCODE.FORMERR);

  const opts = (packet.additionals ?? []).filter((rr) => rr.type === 'OPT') as unknown as Opt[];
  if (opts.length > 1) return reply(RCODE.FORMERR); // RFC 6891 §6.1.1
  const opt = opts[0];
  const ours = ctx.udpSize ?? EDNS_UDP_SIZE;
  const limit = transport !== 'udp' ? MAX_MESSAGE : udpLimit(opt?.udpPayloadSize, ours);
  const ednsOut = (extendedRcode = 0): Answer[] =>
    opt
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: ours,
            extendedRcode,
            ednsVersion: 0,
            flags: opt.flags & 0x8000,
          } as unknown as Answer,
        ]
      : [];
  if (opt && opt.ednsVersion !== 0)
    return reply(0, { questions: [question], additionals: ednsOut(BADVERS >> 4) }, limit, raw);

  let sections: Sections;
  try {
    const mark = opt?.options?.find((o) => o.code === LOOP_MARK_OPTION)?.data;
    const asked = { cd: (flags & CD) !== 0, do: ((opt?.flags ?? 0) & DO) !== 0 };
    sections = await answerFor(id, question, raw, ctx, asked, mark, { transport, remote });
  } catch (error) {
    ctx.onError?.(question, error);
    sections = emptySections('SERVFAIL');
  }
  // RFC 6891 §6.1.1: an upstream's OPT is not ours to pass on; ours is added below.
  const additionals = sections.forwarded
    ? sections.additionals.filter((rr) => rr.type !== 'OPT')
    : sections.additionals;
  const rest = {
    questions: [question],
    answers: sections.answers,
    authorities: sections.authorities,
    additionals: [...additionals, ...ednsOut()],
  };
  const answer = reply((sections.aa ? AA : 0) | RCODE[sections.rcode], rest, limit, raw);
  if (sections.forwarded) forwarded.set(answer, cacheableMs(sections));
  if (sections.cached) fromForwardCache.add(answer);
  if (sections.volatile) volatile.add(answer);
  return answer;
}

/**
 * How long the answer cache may keep a forwarded answer: NOERROR and NXDOMAIN, for as long as the
 * forwarder says. Never a stale answer (RFC 8767 §4: its copy would hide the upstream's recovery),
 * a SERVFAIL or a REFUSED.
 */
function cacheableMs(sections: Sections): number {
  if (sections.stale || (sections.rcode !== 'NOERROR' && sections.rcode !== 'NXDOMAIN')) return 0;
  return sections.cacheableMs ?? 0;
}

function answerFor(
  id: number,
  question: Question,
  raw: Uint8Array,
  ctx: AnswerContext & Pick<ResolverContext, 'blocks'>,
  flags: ForwardFlags,
  mark: Uint8Array | undefined,
  via: Pick<PluginQuery, 'transport' | 'remote'>,
): Promise<Sections> | Sections {
  const qclass = question.class ?? 'IN';
  if (qclass !== 'IN' && qclass !== 'ANY') return emptySections('REFUSED'); // only class IN is served
  if (question.type === 'AXFR' || question.type === 'IXFR') return emptySections('REFUSED'); // RFC 5936 §4.2
  if (['MAILA', 'MAILB', 'OPT'].includes(question.type)) return emptySections('NOTIMP'); // RFC 1035 §3.2.3, RFC 6891 §6.1.1
  const name = questionName(question.name, raw);
  if (
    mark &&
    ctx.forward?.isLoop?.(id, { name: canonicalName(name), type: question.type, class: 'IN' }, mark)
  )
    return emptySections('SERVFAIL');
  if (!ctx.blocks) return answerQuestion(name, question.type, ctx, flags);
  const block = blockFor(ctx.blocks, canonicalName(name));
  if (!block) return emptySections('REFUSED'); // no server block for this name
  return block.next({ name, type: question.type, class: qclass, flags, ...via, zone: block.zone });
}

/**
 * The question name for lookups. dns-packet joins labels with '.', so a label holding a '.' byte
 * would read as two labels and match another name: escape it (RFC 4343 §2.1), so it matches none.
 */
function questionName(decoded: string, raw: Uint8Array): string {
  if (decoded === '.') return '';
  if (!raw.includes(0x2e)) return decoded;
  const labels: string[] = [];
  for (let i = 0; raw[i]; i += 1 + raw[i]!) {
    labels.push(
      Buffer.from(raw.subarray(i + 1, i + 1 + raw[i]!))
        .toString('latin1')
        .replace(/[.\\]/g, (c) => `\\${c}`),
    );
  }
  return labels.join('.');
}

/** The bytes of the single question (RFC 1035 §4.1.2) as sent, or undefined if compressed. */
function rawQuestion(wire: Buffer): Uint8Array | undefined {
  let at = 12;
  for (let label = wire[at]; label !== 0; label = wire[at]) {
    if (label === undefined || label > 63) return undefined;
    at += 1 + label;
  }
  return at + 5 <= wire.length ? wire.subarray(12, at + 5) : undefined;
}
