// Bad DNS messages for fuzzing the port-53 server: random bytes, and valid queries with the damage
// parsers meet in the wild (bit flips, truncation, header counts set high, compression pointers
// that loop or point out of the message, bad label lengths). Mutations are plain data so that
// fast-check prints and shrinks them.
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { makeQuery } from './dns-client.ts';

/** Valid queries to start from (no EDNS, EDNS with and without DO, reverse, outside the zones). */
export const validQueries: Buffer[] = [
  makeQuery('kubernetes.default.svc.cluster.local', 'A', { id: 0x0101 }),
  makeQuery('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV', { id: 0x0202, edns: 1232 }),
  makeQuery('1.0.96.10.in-addr.arpa', 'PTR', { id: 0x0303 }),
  makeQuery('api.edge.svc.cluster.local', 'AAAA', { id: 0x0404, edns: 4096 }),
  makeQuery('db-peers.data.svc.cluster.local', 'SRV', { id: 0x0505, edns: 512 }),
  makeQuery('example.com', 'A', { id: 0x0606 }),
].map((p) => dnsPacket.encode(p));

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'count'; section: number; value: number }
  | { op: 'label'; nth: number; value: number }
  | { op: 'pointer'; where: 'question' | 'opt'; prefix: number; target: number }
  | { op: 'insert'; at: number; bytes: number[] };

/** Offsets of the length octets of the question name's labels (uncompressed, from offset 12). */
function labelOffsets(b: Buffer): number[] {
  const out: number[] = [];
  let at = 12;
  while (at < b.length && b[at]! > 0 && b[at]! < 0x40) {
    out.push(at);
    at += b[at]! + 1;
  }
  if (at < b.length) out.push(at); // the terminating root label (or whatever stands there)
  return out;
}

/** Offset just past the question name (where QTYPE starts), or undefined. */
function nameEnd(b: Buffer): number | undefined {
  const labels = labelOffsets(b);
  const last = labels[labels.length - 1];
  return last !== undefined && b[last] === 0 ? last + 1 : undefined;
}

function mutate(input: Buffer, m: Mutation): Buffer {
  const b = Buffer.from(input);
  if (b.length === 0 && m.op !== 'insert') return b;
  switch (m.op) {
    case 'flip':
      b.writeUInt8(b.readUInt8(m.at % b.length) ^ (1 << m.bit), m.at % b.length);
      return b;
    case 'set':
      b[m.at % b.length] = m.value;
      return b;
    case 'truncate':
      return b.subarray(0, m.at % b.length);
    case 'count':
      if (b.length >= 12) b.writeUInt16BE(m.value, 4 + 2 * m.section);
      return b;
    case 'label': {
      const offsets = labelOffsets(b);
      if (offsets.length) b[offsets[m.nth % offsets.length]!] = m.value;
      return b;
    }
    case 'pointer': {
      // Keep `prefix` labels, then a pointer (RFC 1035 §4.1.4) to `target`: 12 + 0 points at
      // itself (a loop), targets past the end point nowhere, targets < 12 point into the header.
      const end = nameEnd(b);
      if (end === undefined) return b;
      const labels = labelOffsets(b).slice(0, -1);
      const cut = labels[Math.min(m.prefix, labels.length)] ?? end - 1;
      const pointer = Buffer.from([0xc0 | ((m.target >> 8) & 0x3f), m.target & 0xff]);
      if (m.where === 'question')
        return Buffer.concat([b.subarray(0, cut), pointer, b.subarray(end)]);
      // The OPT owner (root, right after QTYPE/QCLASS when it is the only additional).
      const opt = end + 4;
      if (b[opt] !== 0 || b.readUInt16BE(10) === 0) return b;
      return Buffer.concat([b.subarray(0, opt), pointer, b.subarray(opt + 1)]);
    }
    case 'insert': {
      const at = b.length ? m.at % (b.length + 1) : 0;
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    }
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Flips and byte changes often leave a query that still decodes: weighted up so both kinds come.
  {
    arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(600), bit: fc.nat(7) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(600), value: fc.nat(255) }),
    weight: 2,
  },
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(600) }),
  fc.record({
    op: fc.constant('count' as const),
    section: fc.nat(3),
    value: fc.oneof(fc.constant(0xffff), fc.integer({ min: 2, max: 0xffff })),
  }),
  fc.record({
    op: fc.constant('label' as const),
    nth: fc.nat(8),
    value: fc.oneof(
      fc.integer({ min: 0x40, max: 0xbf }),
      fc.integer({ min: 0xc0, max: 0xff }),
      fc.integer({ min: 0, max: 0x3f }),
    ),
  }),
  fc.record({
    op: fc.constant('pointer' as const),
    where: fc.constantFrom('question' as const, 'opt' as const),
    prefix: fc.nat(4),
    target: fc.oneof(fc.constant(12), fc.nat(11), fc.integer({ min: 13, max: 0x3fff })),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(600),
    bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 8 }),
  }),
);

/** A damaged query: a valid one with 1 to 3 mutations applied in turn. */
export const mutatedQueryArb = fc
  .record({
    base: fc.nat(validQueries.length - 1),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  })
  .map(({ base, mutations }) => ({
    base,
    mutations,
    bytes: mutations.reduce(mutate, validQueries[base]!),
  }));

/** Random bytes up to 600, half of them shaped as a query header (QR=0, QDCOUNT=1). */
export const randomBytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 600, size: 'max' }).map((a) => Buffer.from(a)),
  fc.uint8Array({ minLength: 12, maxLength: 600, size: 'max' }).map((a) => {
    const b = Buffer.from(a);
    b.writeUInt8(b.readUInt8(2) & 0x7f, 2);
    b.writeUInt16BE(1, 4);
    return b;
  }),
);

/** True when the server must answer (RFC 1035 §4.1.1): a whole header and QR=0. */
export function mustAnswer(query: Buffer): boolean {
  return query.length >= 12 && (query[2]! & 0x80) === 0;
}

/** The query as dns-packet reads it, or undefined when it does not decode. */
export function tryDecode(query: Buffer): DecodedPacket | undefined {
  try {
    return dnsPacket.decode(query);
  } catch {
    return undefined;
  }
}

/** The UDP size the answer must fit (RFC 6891 §6.2.3-5 as edge-dns applies it: 512..1232). */
export function udpLimit(query: DecodedPacket | undefined): number {
  const opts = (query?.additionals ?? []).filter((rr) => rr.type === 'OPT') as unknown as {
    udpPayloadSize: number;
  }[];
  return opts.length === 1 ? Math.max(512, Math.min(opts[0]!.udpPayloadSize, 1232)) : 512;
}
