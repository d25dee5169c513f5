import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { servfail } from './servfail.ts';

const decode = (bytes: Uint8Array | null) => dnsPacket.decode(Buffer.from(bytes!));

test('SERVFAIL keeps the ID, opcode, RD and CD, and the question as asked', () => {
  const query = dnsPacket.encode({
    type: 'query',
    id: 0xabcd,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED,
    questions: [{ name: 'Web.shop.svc.cluster.local', type: 'SRV', class: 'IN' }],
  });
  const reply = decode(servfail(query));
  assert.equal(reply.id, 0xabcd);
  assert.equal(reply.type, 'response');
  assert.equal(reply.flags! & 0xf, 2);
  assert.equal(reply.flag_rd, true);
  assert.equal(reply.flag_cd, true);
  assert.equal(reply.flag_aa, false);
  assert.deepEqual(reply.questions, [
    { name: 'Web.shop.svc.cluster.local', type: 'SRV', class: 'IN' },
  ]);
});

test('SERVFAIL without a question when it cannot be copied; null below a header', () => {
  const two = dnsPacket.encode({
    type: 'query',
    id: 1,
    questions: [
      { name: 'a', type: 'A' },
      { name: 'b', type: 'A' },
    ],
  });
  assert.deepEqual(decode(servfail(two)).questions, []);
  const cut = dnsPacket
    .encode({ type: 'query', id: 2, questions: [{ name: 'abc.def', type: 'A' }] })
    .subarray(0, 16);
  assert.deepEqual(decode(servfail(cut)).questions, []);
  assert.equal(decode(servfail(cut)).id, 2);
  const pointer = Buffer.from('0003000000010000000000000c00000100010000', 'hex').subarray(0, 18);
  pointer[12] = 0xc0;
  assert.deepEqual(decode(servfail(pointer)).questions, []);
  assert.equal(servfail(new Uint8Array(11)), null);
});
