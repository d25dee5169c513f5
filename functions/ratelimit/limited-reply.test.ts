import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { limitedReply } from './limited-reply.ts';

const query = (edns: boolean) =>
  dnsPacket.encode({
    type: 'query',
    id: 0x1234,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: 'web.shop.svc.cluster.local', type: 'A', class: 'IN' }],
    ...(edns && { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 }] }),
  } as dnsPacket.Packet);

test('over the limit: the question echoed, QR and TC or REFUSED, never longer than the query', () => {
  for (const edns of [false, true]) {
    const q = query(edns);
    for (const [kind, rcode, tc] of [
      ['truncated', 'NOERROR', true],
      ['refused', 'REFUSED', false],
    ] as const) {
      const reply = limitedReply(q, kind)!;
      assert.ok(reply.length <= q.length, `${kind}: ${reply.length} > ${q.length}`);
      const p = dnsPacket.decode(reply);
      assert.equal(p.id, 0x1234);
      assert.equal(p.type, 'response');
      assert.equal((p as { rcode?: string }).rcode, rcode);
      assert.equal(!!(p.flags! & dnsPacket.TRUNCATED_RESPONSE), tc);
      assert.equal(!!(p.flags! & dnsPacket.RECURSION_DESIRED), true, 'RD copied');
      assert.deepEqual(p.questions, [
        { name: 'web.shop.svc.cluster.local', type: 'A', class: 'IN' },
      ]);
      assert.equal(p.answers!.length + p.authorities!.length + p.additionals!.length, 0);
    }
  }
});

test('no reply to what is not one whole question, nor to a response', () => {
  const q = query(false);
  const response = Buffer.from(q);
  response[2]! |= 0x80;
  const twoQuestions = Buffer.from(q);
  twoQuestions[5] = 2;
  for (const m of [q.subarray(0, 16), response, twoQuestions, Buffer.alloc(12)])
    assert.equal(limitedReply(m, 'truncated'), null);
});
