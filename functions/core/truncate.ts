import * as dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';

/** dns-packet's TC flag (RFC 1035 §4.1.1). */
export const TC = dnsPacket.TRUNCATED_RESPONSE;

// dns-packet exports its record codec as `answer`; its type definitions leave it out.
const codec = dnsPacket as unknown as { answer: { encodingLength(rr: Answer): number } };
const recordLength = (rr: Answer): number => codec.answer.encodingLength(rr);

/**
 * Encodes `packet` in at most `limit` bytes. Too big: first drop the additional section but OPT
 * (RFC 2181 §9, RFC 6891 §7), then keep the answers that fit, drop the authority, and set TC so
 * the client retries over TCP (RFC 1035 §4.2.1, RFC 7766 §5).
 */
export function encodeWithin(packet: Packet, limit: number): Buffer {
  if (dnsPacket.encodingLength(packet) <= limit) return dnsPacket.encode(packet);
  const opt = (packet.additionals ?? []).filter((rr) => rr.type === 'OPT');
  const lean: Packet = { ...packet, additionals: opt };
  if (dnsPacket.encodingLength(lean) <= limit) return dnsPacket.encode(lean);

  let used = dnsPacket.encodingLength({ ...lean, answers: [], authorities: [] });
  const answers: Answer[] = [];
  for (const rr of packet.answers ?? []) {
    const size = recordLength(rr);
    if (used + size > limit) break;
    used += size;
    answers.push(rr);
  }
  return dnsPacket.encode({ ...lean, answers, authorities: [], flags: (packet.flags ?? 0) | TC });
}
