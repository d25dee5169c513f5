// What the fuzz campaign sends (bench/fuzz-campaign.ts): damaged valid queries and random bytes
// (test/support/mutations.ts, the arbitraries the robustness tests shrink with), and EDNS edge
// cases: OPT versions, several OPTs, options whose lengths lie, payload sizes 0 and 65535, an OPT
// outside the additional section, and names that point at themselves. Seeded: the same seed
// gives the same inputs.
import fc from 'fast-check';
import { mutatedQueryArb, randomBytesArb, validQueries } from '../test/support/mutations.ts';

/** A valid query with an OPT record appended, its header's ARCOUNT raised to match. */
function withOpt(base: Buffer, opt: Buffer, section: 6 | 8 | 10 = 10): Buffer {
  const out = Buffer.concat([base, opt]);
  out.writeUInt16BE(out.readUInt16BE(section) + 1, section);
  return out;
}

/** OPT: root owner, TYPE 41, CLASS = payload size, TTL = ext rcode, version, flags; then RDATA. */
function opt(size: number, version: number, flags: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(11);
  head.writeUInt16BE(41, 1);
  head.writeUInt16BE(size, 3);
  head[6] = version;
  head.writeUInt16BE(flags, 7);
  head.writeUInt16BE(rdata.length, 9);
  return Buffer.concat([head, rdata]);
}

const ednsArb = fc
  .record({
    base: fc.nat(validQueries.length - 1),
    size: fc.oneof(fc.constantFrom(0, 1, 511, 512, 65535), fc.nat(65535)),
    version: fc.oneof(fc.constant(0), fc.nat(255)),
    flags: fc.oneof(fc.constantFrom(0, 0x8000), fc.nat(65535)),
    // Options: code, the length claimed, the bytes actually there.
    options: fc.array(
      fc.record({
        code: fc.nat(65535),
        claimed: fc.nat(70),
        data: fc.uint8Array({ maxLength: 64 }),
      }),
      { maxLength: 4 },
    ),
    copies: fc.constantFrom(1, 1, 1, 2, 3),
    section: fc.constantFrom<6 | 8 | 10>(10, 10, 10, 6, 8),
  })
  .map(({ base, size, version, flags, options, copies, section }) => {
    const rdata = Buffer.concat(
      options.map((o) => {
        const h = Buffer.alloc(4);
        h.writeUInt16BE(o.code, 0);
        h.writeUInt16BE(o.claimed, 2);
        return Buffer.concat([h, Buffer.from(o.data)]);
      }),
    );
    let q = validQueries[base]!;
    // The bases with EDNS already carry one OPT: these add more, or the first one.
    for (let i = 0; i < copies; i++) q = withOpt(q, opt(size, version, flags, rdata), section);
    return q;
  });

/** A question name that is a pointer to itself (offset 12), or to a pointer pointing back. */
const loopArb = fc.constantFrom(
  Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]),
  Buffer.from([0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0xc0, 12, 0, 1, 0, 1]),
  Buffer.from([0, 3, 1, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 97, 0, 0, 1, 0, 1]),
);

export const fuzzInputArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: mutatedQueryArb.map((m) => m.bytes) },
  { weight: 2, arbitrary: randomBytesArb },
  { weight: 2, arbitrary: ednsArb },
  { weight: 1, arbitrary: loopArb },
);

/** `count` inputs from `seed`, in batches (fc.sample holds a batch at a time). */
export function* fuzzInputs(count: number, seed: number, batch = 2000): Generator<Buffer> {
  for (let done = 0, round = 0; done < count; round++) {
    const n = Math.min(batch, count - done);
    yield* fc.sample(fuzzInputArb, { numRuns: n, seed: seed + round });
    done += n;
  }
}
