// The port-53 server over TCP (RFC 7766) against bad and greedy clients: framed garbage, unframed
// streams, pipelining, half-closed clients, and a client that never reads. The server may close a
// connection; it must never stop serving new ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { frame, makeQuery, queryTcp, rcodeOf, sendTcpRaw } from './support/dns-client.ts';
import {
  mustAnswer,
  mutatedQueryArb,
  randomBytesArb,
  tryDecode,
  validQueries,
} from './support/mutations.ts';
import {
  RawTcp,
  containerForSuite,
  assertProbeAnswer,
  idOf,
  probe,
  tcpOnce,
} from './support/raw-sockets.ts';

const server = containerForSuite(['--snapshot', SAMPLE_CLUSTER]);

async function assertServing(id = 0x5353): Promise<void> {
  assertProbeAnswer(await tcpOnce(server().tcp, probe(id)), id);
}

/** The reply must decode and carry its query's ID; FORMERR when the query does not decode. */
function checkReply(query: Buffer, reply: Buffer): void {
  const packet = dnsPacket.decode(reply);
  assert.equal(packet.id, query.readUInt16BE(0));
  assert.equal(packet.type, 'response');
  if (!tryDecode(query)) assert.equal(rcodeOf(packet), 'FORMERR');
  else assert.notEqual(rcodeOf(packet), 'SERVFAIL', 'SERVFAIL would mean an internal failure');
}

const PROBE_ID = 0x2000;

/** Payloads get distinct IDs (0x1000 + i) so that each reply names its query. */
const payloadsArb = fc
  .array(
    fc.oneof(
      randomBytesArb,
      mutatedQueryArb.map((m) => m.bytes),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((list) =>
    list.map((p, i) =>
      p.length >= 2 ? Buffer.concat([Buffer.from([0x10, i]), p.subarray(2)]) : p,
    ),
  );

test('TCP: framed garbage gets well-formed replies or a close, and new connections are served', async () => {
  await fc.assert(
    fc.asyncProperty(payloadsArb, async (payloads) => {
      const conn = await RawTcp.open(server().tcp);
      try {
        await conn.write(Buffer.concat([...payloads.map(frame), frame(probe(PROBE_ID))]));
        const probeReply = await conn.next((r) => idOf(r) === PROBE_ID);
        if (probeReply) {
          assertProbeAnswer(probeReply, PROBE_ID);
          // Replies may come in any order (RFC 7766 §6.2.1.1): wait for each one owed.
          for (const p of payloads.filter(mustAnswer))
            assert.ok(await conn.next((r) => idOf(r) === idOf(p)), `a reply to ${idOf(p)}`);
        }
        for (const reply of conn.replies.filter((r) => idOf(r) !== PROBE_ID)) {
          const query = payloads.find((p) => idOf(p) === idOf(reply));
          assert.ok(query && mustAnswer(query), `an unexpected reply ${reply.toString('hex')}`);
          checkReply(query, reply);
        }
      } finally {
        conn.destroy();
      }
      await assertServing();
    }),
    { numRuns: 300, seed: 7766, endOnFailure: true },
  );
});

test('TCP: unframed random streams then a half-close: the server answers whole frames and closes', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 2000, size: 'max' }),
      async (bytes) => {
        const conn = await RawTcp.open(server().tcp);
        await conn.write(Buffer.from(bytes));
        conn.socket.end();
        // Closed because the client half-closed, well before the 10 s idle timeout.
        await conn.closedByServer();
        for (const reply of conn.replies) assert.doesNotThrow(() => dnsPacket.decode(reply));
        await assertServing();
      },
    ),
    { numRuns: 100, seed: 1035, endOnFailure: true },
  );
});

test('TCP: 100 queries in one write get 100 answers with matching IDs (RFC 7766 §6.2.1.1)', async () => {
  const queries = Array.from({ length: 100 }, (_, i) => {
    const q = Buffer.from(validQueries[i % validQueries.length]!);
    q.writeUInt16BE(1000 + i, 0);
    return q;
  });
  const replies = await sendTcpRaw(server().tcp, queries); // one write of 100 framed queries
  assert.equal(replies.length, 100);
  assert.deepEqual(replies.map((r) => idOf(r)).sort(), queries.map((q) => idOf(q)).sort());
  for (const reply of replies) {
    const query = queries.find((q) => idOf(q) === idOf(reply))!;
    const got = dnsPacket.decode(reply);
    assert.deepEqual(
      got.questions,
      dnsPacket.decode(query).questions,
      'each reply answers its own question',
    );
    assert.ok(['NOERROR', 'REFUSED'].includes(rcodeOf(got)), rcodeOf(got));
  }
});

test('TCP: a client that sends queries and half-closes still gets every answer (RFC 7766 §6.2.4)', async (t) => {
  for (const count of [1, 3, 50]) {
    await t.test(`${count} queries`, async () => {
      const conn = await RawTcp.open(server().tcp, { allowHalfOpen: true });
      const ids = Array.from({ length: count }, (_, i) => 0x3000 + i);
      await conn.write(Buffer.concat(ids.map((id) => frame(probe(id)))));
      conn.socket.end();
      await conn.closedByServer();
      assert.deepEqual(conn.replies.map((r) => idOf(r)).sort(), ids);
      for (const reply of conn.replies) assertProbeAnswer(reply, idOf(reply)!);
    });
  }
});

test('TCP: a client that never reads its answers is dropped, not buffered without bound', async () => {
  // An SRV question with a large answer (3 SRV + 3 A in additional): about 8x amplification.
  const query = frame(
    dnsPacket.encode(makeQuery('db-peers.data.svc.cluster.local', 'SRV', { id: 0x4242 })),
  );
  const batch = Buffer.concat(Array.from({ length: 2000 }, () => query));
  const CAP = 64 * 1024 * 1024; // query bytes; their answers would be about half a gigabyte
  const conn = await RawTcp.open(server().tcp);
  conn.socket.pause(); // never read
  let sent = 0;
  while (!conn.closed && sent < CAP) {
    sent += batch.length;
    // The server's reset shows up as 'error' then 'close': wait on events that do not reject.
    if (!conn.socket.write(batch))
      await Promise.race([new Promise((r) => conn.socket.once('drain', r)), conn.whenClosed]);
  }
  assert.ok(conn.closed, `still open after ${sent} bytes of queries whose answers were never read`);
  await assertServing();
});

test('TCP: the server still answers over TCP after all of the above', async () => {
  const [reply] = await queryTcp(server().tcp, [
    makeQuery('kubernetes.default.svc.cluster.local', 'A'),
  ]);
  assert.equal(rcodeOf(reply!), 'NOERROR');
});
