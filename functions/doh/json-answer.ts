// A response in wire format -> the JSON API's object, in the schema of Google's and Cloudflare's
// JSON APIs (developers.google.com/speed/public-dns/docs/doh/json): flags as booleans, `Status`
// the rcode, records as {name, type, TTL, data} with `data` in presentation format.
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { fqdn, rdataText } from './rdata-text.ts';
import { typeNumber } from './record-types.ts';

interface JsonRecord {
  name: string;
  type: number;
  TTL: number;
  data: string;
}

export interface DnsJson {
  Status: number;
  TC: boolean;
  RD: boolean;
  RA: boolean;
  AD: boolean;
  CD: boolean;
  Question: { name: string; type: number }[];
  /** Absent when empty, as Google and Cloudflare leave them out. */
  Answer?: JsonRecord[];
  Authority?: JsonRecord[];
  Additional?: JsonRecord[];
}

/** Header flag bits (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD and CD). */
const FLAG = { TC: 1 << 9, RD: 1 << 8, RA: 1 << 7, AD: 1 << 5, CD: 1 << 4 };

/** The JSON object for one response. Throws when `wire` does not decode. */
export function jsonAnswer(wire: Uint8Array): DnsJson {
  const packet = dnsPacket.decode(Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength));
  const flags = packet.flags ?? 0;
  // RFC 6891 §6.1.3: the OPT record holds the upper 8 bits of a 12-bit rcode.
  const opt = (packet.additionals ?? []).find((rr) => rr.type === 'OPT') as
    { extendedRcode?: number } | undefined;
  const out: DnsJson = {
    Status: ((opt?.extendedRcode ?? 0) << 4) | (flags & 0xf),
    TC: (flags & FLAG.TC) !== 0,
    RD: (flags & FLAG.RD) !== 0,
    RA: (flags & FLAG.RA) !== 0,
    AD: (flags & FLAG.AD) !== 0,
    CD: (flags & FLAG.CD) !== 0,
    Question: (packet.questions ?? []).map((q) => ({
      name: fqdn(q.name),
      type: typeNumber(q.type) ?? 0,
    })),
  };
  const answer = records(packet.answers);
  const authority = records(packet.authorities);
  const additional = records(packet.additionals);
  if (answer.length) out.Answer = answer;
  if (authority.length) out.Authority = authority;
  if (additional.length) out.Additional = additional;
  return out;
}

function records(rrs: Answer[] | undefined): JsonRecord[] {
  return (rrs ?? [])
    .filter((rr) => rr.type !== 'OPT')
    .map((rr) => ({
      name: fqdn(rr.name),
      type: typeNumber(rr.type) ?? 0,
      TTL: rr.ttl ?? 0,
      data: rdataText(rr),
    }));
}
