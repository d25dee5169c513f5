import * as dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { MessageWriter } from './message-writer.ts';

/** dns-packet's TC flag (RFC 1035 §4.1.1). */
export const TC = dnsPacket.TRUNCATED_RESPONSE;

/** Bytes of an OPT record without options (RFC 6891 §6.1.2). */
const OPT_SIZE = 11;

/** Answers that left records out to fit their limit: shaped by it, unlike a whole answer. */
const cut = new WeakSet<Buffer>();

/** Whether encodeWithin left records out of `answer` (TC, or additional records dropped). */
export function lostRecords(answer: Buffer): boolean {
  return cut.has(answer);
}

/**
 * Encodes `packet` (names compressed) in at most `limit` bytes, its question copied from
 * `rawQuestion` when given. When it does not fit: the answer
 * and authority records that fit are kept and TC is set, so the client retries over TCP
 * (RFC 1035 §4.2.1, RFC 7766 §5); additional records that do not fit are dropped without TC
 * (RFC 2181 §9); the OPT record always stays (RFC 6891 §7).
 */
export function encodeWithin(packet: Packet, limit: number, rawQuestion?: Uint8Array): Buffer {
  const additionals = packet.additionals ?? [];
  const opts = additionals.filter((rr) => rr.type === 'OPT');
  const writer = new MessageWriter(limit - OPT_SIZE * opts.length);
  let qd = 0;
  if (rawQuestion) qd += writer.rawQuestion(rawQuestion) ? 1 : 0;
  else for (const q of packet.questions ?? []) if (writer.question(q)) qd++;
  let tc = false;
  let an = 0;
  let ns = 0;
  let ar = 0;
  for (const rr of packet.answers ?? []) {
    if (!writer.record(rr)) {
      tc = true;
      break;
    }
    an++;
  }
  for (const rr of tc ? [] : (packet.authorities ?? [])) {
    if (!writer.record(rr)) {
      tc = true;
      break;
    }
    ns++;
  }
  let lost = tc;
  for (const rr of tc ? [] : additionals) {
    if (rr.type === 'OPT') continue;
    if (!writer.record(rr)) {
      lost = true;
      break;
    }
    ar++;
  }
  writer.limit = limit;
  for (const rr of opts) if (writer.record(rr)) ar++;
  const flags = (packet.flags ?? 0) | (tc ? TC : 0);
  const out = writer.finish({ id: packet.id ?? 0, flags, qd, an, ns, ar });
  if (lost) cut.add(out);
  return out;
}
