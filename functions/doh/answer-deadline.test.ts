import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { withDeadline } from './answer-deadline.ts';

const query = dnsPacket.encode({
  type: 'query',
  id: 7,
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ name: 'web.shop.svc.cluster.local', type: 'A', class: 'IN' }],
});
const ANSWER = Uint8Array.of(1, 2, 3);

/** A resolve whose outcome the test settles, and the deadline-bound one around it (100 ms). */
function bound() {
  let settle!: { answer: (r: Uint8Array) => void; fail: (e: Error) => void };
  const late: Uint8Array[] = [];
  const resolve = withDeadline(
    () => new Promise<Uint8Array | null>((answer, fail) => (settle = { answer, fail })),
    100,
    (q) => late.push(q),
  );
  return { resolve, settle: () => settle, late };
}

test('an answer within the deadline is the answer; a failure is the failure', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const a = bound();
  const answered = a.resolve(query);
  t.mock.timers.tick(99);
  a.settle().answer(ANSWER);
  assert.deepEqual(await answered, ANSWER);
  const b = bound();
  const failed = b.resolve(query);
  b.settle().fail(new Error('resolver bug'));
  await assert.rejects(failed, /resolver bug/);
  t.mock.timers.tick(1000);
  assert.deepEqual([...a.late, ...b.late], [], 'no deadline fired after an outcome');
});

test('past the deadline: SERVFAIL for the question; what comes later is dropped', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  for (const later of ['answer', 'fail'] as const) {
    const s = bound();
    const reply = s.resolve(query);
    t.mock.timers.tick(100);
    const decoded = dnsPacket.decode(Buffer.from((await reply)!));
    assert.equal(decoded.id, 7);
    assert.equal(decoded.flags! & 0xf, 2, 'SERVFAIL');
    assert.deepEqual(decoded.questions, [
      { name: 'web.shop.svc.cluster.local', type: 'A', class: 'IN' },
    ]);
    assert.equal(s.late.length, 1, 'told once');
    // A late outcome settles nothing more, and a late failure is no unhandled rejection.
    if (later === 'answer') s.settle().answer(ANSWER);
    else s.settle().fail(new Error('store read failed after the deadline'));
    await new Promise((r) => setImmediate(r));
  }
});
