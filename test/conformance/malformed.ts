// Queries a server must refuse or reject with an rcode rather than answer or drop (RFC 1035
// §4.1.1, RFC 9619, RFC 6891 §6.1.1/§6.1.3, RFC 5936 §4.2). Each builds its wire bytes from a
// well-formed query, then breaks one thing. Run by test/conformance.test.ts over UDP and TCP.
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';

export interface MalformedCase {
  title: string;
  wire: (id: number) => Buffer;
  rcode: 'FORMERR' | 'REFUSED' | 'NOTIMP' | 'NOERROR';
  /** RFC 6891 §6.1.3: the upper 8 bits of the 12-bit rcode, carried in the reply's OPT. */
  extendedRcode?: number;
  /** The reply repeats the question (a question was decodable). */
  echoes: boolean;
}

const NAME = 'web.shop.svc.cluster.local';
const opt = (ednsVersion = 0) =>
  ({
    type: 'OPT',
    name: '.',
    udpPayloadSize: 1232,
    extendedRcode: 0,
    ednsVersion,
    flags: 0,
    options: [],
  }) as never;
const query = (id: number, rest: Partial<Packet> = {}): Buffer =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: NAME, type: 'A', class: 'IN' }],
    ...rest,
  });
/** Header with QDCOUNT = `count`, then the encoded question repeated that many times. */
const withQuestions = (id: number, count: number): Buffer => {
  const one = query(id);
  const header = Buffer.from(one.subarray(0, 12));
  header.writeUInt16BE(count, 4);
  return Buffer.concat([header, ...Array.from({ length: count }, () => one.subarray(12))]);
};

export const malformed: MalformedCase[] = [
  {
    title: 'no question (QDCOUNT 0) is FORMERR (RFC 9619 §2)',
    wire: (id) => withQuestions(id, 0),
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'two questions (QDCOUNT 2) is FORMERR (RFC 9619 §2)',
    wire: (id) => withQuestions(id, 2),
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'question cut short is FORMERR (RFC 1035 §4.1.2)',
    wire: (id) => query(id).subarray(0, -3),
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'QDCOUNT beyond the message is FORMERR (RFC 1035 §4.1.1)',
    wire: (id) => {
      const b = Buffer.from(query(id));
      b.writeUInt16BE(5, 4);
      return b;
    },
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'a name that points at itself is FORMERR (RFC 1035 §4.1.4 pointers go backwards)',
    wire: (id) => {
      const b = Buffer.from(query(id));
      b.writeUInt16BE(0xc00c, 12);
      return b.subarray(0, 18);
    },
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'two OPT records is FORMERR (RFC 6891 §6.1.1)',
    wire: (id) => query(id, { additionals: [opt(), opt()] }),
    rcode: 'FORMERR',
    echoes: false,
  },
  {
    title: 'EDNS version 1 is BADVERS: extended rcode 1, header rcode 0 (RFC 6891 §6.1.3)',
    wire: (id) => query(id, { additionals: [opt(1)] }),
    rcode: 'NOERROR',
    extendedRcode: 1,
    echoes: true,
  },
  {
    title: 'class CH is REFUSED: only IN is served (RFC 1035 §3.2.4)',
    wire: (id) => query(id, { questions: [{ name: NAME, type: 'A', class: 'CH' }] }),
    rcode: 'REFUSED',
    echoes: true,
  },
  {
    title: 'AXFR is REFUSED: no zone transfers (RFC 5936 §4.2)',
    wire: (id) => query(id, { questions: [{ name: 'cluster.local', type: 'AXFR', class: 'IN' }] }),
    rcode: 'REFUSED',
    echoes: true,
  },
  {
    title: 'opcode UPDATE (5) is NOTIMP (RFC 1035 §4.1.1, RFC 2136 §3)',
    wire: (id) => {
      const b = Buffer.from(query(id));
      b[2] = (b[2]! & 0x87) | (5 << 3);
      return b;
    },
    rcode: 'NOTIMP',
    echoes: true,
  },
];
