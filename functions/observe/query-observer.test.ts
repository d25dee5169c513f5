import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageHandler } from '../dns53/handler.ts';
import {
  allObservers,
  observeReply,
  observedHandler,
  type ObservedQuery,
} from './query-observer.ts';

const client = { address: '127.0.0.1', port: 5300, family: 'IPv4' };
const query = Buffer.from([0x12, 0x34]);
const reply = Buffer.from([0x12, 0x34, 0x80]);

test('a synchronous reply is returned as is, and observed once with its duration', async () => {
  const seen: ObservedQuery[] = [];
  let t = 10;
  const handle: MessageHandler = () => {
    t += 3;
    return reply;
  };
  const observed = observedHandler(handle, { observe: (q) => seen.push(q) }, () => t);
  assert.equal(observed(query, 'udp', client), reply);
  assert.equal(seen.length, 0, 'observed after the reply is handed back');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [{ query, reply, proto: 'udp', client, durationMs: 3, cached: true }]);
});

test('an asynchronous reply, and no reply at all, are observed once each', async () => {
  const seen: ObservedQuery[] = [];
  const handle: MessageHandler = (m) => Promise.resolve(m.length === 2 ? reply : null);
  const observed = observedHandler(handle, { observe: (q) => seen.push(q) }, () => 0);
  assert.equal(await observed(query, 'tcp', client), reply);
  assert.equal(await observed(Buffer.from([1]), 'tcp', client), null);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    seen.map((q) => [q.proto, q.reply, q.cached]),
    [
      ['tcp', reply, false],
      ['tcp', null, false],
    ],
  );
});

test('observeReply: a resolver call (DoH) observed with its client; a rejection passes unobserved', async () => {
  const seen: ObservedQuery[] = [];
  const observer = { observe: (q: ObservedQuery) => seen.push(q) };
  let t = 0;
  const now = () => (t += 2);
  const start = now();
  assert.equal(
    await observeReply(Promise.resolve(reply), observer, now, start, query, 'https', client),
    reply,
  );
  const failed = observeReply(
    Promise.reject(new Error('x')),
    observer,
    now,
    now(),
    query,
    'https',
    client,
  );
  await assert.rejects(failed, /x/);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [{ query, reply, proto: 'https', client, durationMs: 2, cached: false }]);
});

test('allObservers: none is undefined; several are each told', () => {
  assert.equal(allObservers([]), undefined);
  const a: string[] = [];
  const both = allObservers([{ observe: () => a.push('a') }, { observe: () => a.push('b') }]);
  both?.observe({ query, reply, proto: 'https', client, durationMs: 1, cached: false });
  assert.deepEqual(a, ['a', 'b']);
});
