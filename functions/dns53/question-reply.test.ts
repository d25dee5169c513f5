import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { questionReply } from './question-reply.ts';

const query = (opt?: { do: boolean }) =>
  dnsPacket.encode({
    type: 'query',
    id: 42,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: 'www.example.org', type: 'AAAA', class: 'IN' }],
    ...(opt && {
      additionals: [
        { type: 'OPT', name: '.', udpPayloadSize: 4096, flags: opt.do ? dnsPacket.DNSSEC_OK : 0 },
      ],
    }),
  } as dnsPacket.Packet);

test('an EDE rides in an OPT only when the query had one (RFC 6891 §7), DO echoed', () => {
  for (const [q, wantOpt, wantDo] of [
    [query(), false, false],
    [query({ do: false }), true, false],
    [query({ do: true }), true, true],
  ] as const) {
    const p = dnsPacket.decode(
      questionReply(q, { rcode: 5, ede: 15 })!,
    ) as dnsPacket.DecodedPacket & {
      rcode: string;
    };
    assert.equal(p.rcode, 'REFUSED');
    assert.equal(p.id, 42);
    assert.deepEqual(p.questions, [{ name: 'www.example.org', type: 'AAAA', class: 'IN' }]);
    const opt = p.additionals?.find((a) => a.type === 'OPT') as
      | { flags: number; udpPayloadSize: number; options: { code: number; data: Buffer }[] }
      | undefined;
    assert.equal(!!opt, wantOpt);
    if (opt) {
      assert.equal(!!(opt.flags & dnsPacket.DNSSEC_OK), wantDo);
      assert.deepEqual(
        opt.options.map((o) => [o.code, o.data.readUInt16BE(0)]),
        [[15, 15]],
      );
    }
  }
});
