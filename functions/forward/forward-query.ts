// The query the pool sends upstream and the sections it makes of the reply.
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { Rcode, Sections } from '../core/sections.ts';
import { LOOP_MARK_OPTION, type ForwardFlags, type ForwardQuestion } from '../core/forwarder.ts';

/** RFC 1035 §4.1.1 rcodes; any other (RFC 6895 §2.3) is passed on as SERVFAIL. */
const RCODES: readonly Rcode[] = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
];
const DO = 0x8000;
/** DNS flag day 2020: an EDNS size that avoids IP fragmentation. */
const EDNS_SIZE = 1232;

/**
 * RD set (we ask for recursion), CD as the client asked, EDNS with DO as the client asked (RFC 3225
 * §3) and our loop mark (core/forwarder.ts LOOP_MARK_OPTION; servers ignore unknown options, RFC 6891 §6.1.2).
 */
export function encodeQuery(
  id: number,
  q: ForwardQuestion,
  flags: ForwardFlags,
  mark: Uint8Array,
): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED | (flags.cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ name: q.name, type: q.type as dnsPacket.RecordType, class: q.class as 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_SIZE,
        flags: flags.do ? DO : 0,
        options: [{ code: LOOP_MARK_OPTION, data: Buffer.from(mark) }],
      } as unknown as Answer,
    ],
  });
}

export function toSections(reply: DecodedPacket): Sections {
  return {
    rcode: RCODES[(reply.flags ?? 0) & 0xf] ?? 'SERVFAIL',
    aa: false,
    answers: reply.answers ?? [],
    authorities: reply.authorities ?? [],
    additionals: (reply.additionals ?? []).filter((rr) => rr.type !== 'OPT'),
    forwarded: true,
  };
}
