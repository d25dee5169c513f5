// Clients that hold a TCP connection without completing a query (RFC 7766 §6.2.3, idle timeout):
// an oversized length prefix followed by silence, and slow-loris clients that send one byte at a
// time. The server (idle timeout 300 ms) closes them, and answers everyone else meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { frame, makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import {
  RawTcp,
  containerForSuite,
  assertProbeAnswer,
  probe,
  tcpOnce,
} from './support/raw-sockets.ts';

const server = containerForSuite(['--snapshot', SAMPLE_CLUSTER, '--tcp-idle-timeout', '300']);

/** Other clients, over TCP and UDP, get their answers. */
async function othersAreAnswered(): Promise<void> {
  assertProbeAnswer(await tcpOnce(server().tcp, probe(0x0a0a)), 0x0a0a);
  const udp = await queryUdp(server().udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
  assert.equal(rcodeOf(udp), 'NOERROR');
}

/** Sends `bytes` one at a time every `everyMs` until the server closes the connection. */
function drip(conn: RawTcp, bytes: Buffer, everyMs = 50): () => void {
  let at = 0;
  const timer = setInterval(() => {
    if (conn.closed || at >= bytes.length) return clearInterval(timer);
    conn.socket.write(bytes.subarray(at, ++at));
  }, everyMs);
  return () => clearInterval(timer);
}

test('an oversized length prefix (0xFFFF) then silence: closed at the idle timeout, others served meanwhile', async () => {
  const hanging = await RawTcp.open(server().tcp);
  await hanging.write(Buffer.from([0xff, 0xff, 0x12, 0x34, 0x01]));
  await othersAreAnswered();
  assert.equal(hanging.closed, false, 'still hanging while the others were answered');
  await hanging.closedByServer();
  assert.equal(hanging.bytesReceived, 0, 'nothing was sent back');
});

test('slow loris clients (one byte per 50 ms, never a whole query in time) are closed, others served meanwhile', async (t) => {
  const cases = [
    // A valid query would take 2.8 s at this pace: the timer is reset by whole queries only.
    { name: 'dripping a valid query', bytes: frame(probe(0x0b0b)) },
    {
      name: 'dripping a 65535-byte message',
      bytes: Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(200, 0x41)]),
    },
    { name: 'dripping only a length prefix', bytes: Buffer.from([0x00, 0x20]) },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const loris = await RawTcp.open(server().tcp);
      const stop = drip(loris, c.bytes);
      try {
        await othersAreAnswered();
        assert.equal(loris.closed, false, 'still open while the others were answered');
        await loris.closedByServer();
        assert.equal(loris.bytesReceived, 0, 'the loris got no answer');
      } finally {
        stop();
        loris.destroy();
      }
    });
  }
});

test('many hanging clients at once do not stop the others being served', async () => {
  const hanging = await Promise.all(Array.from({ length: 20 }, () => RawTcp.open(server().tcp)));
  await Promise.all(
    hanging.map((h, i) => h.write(i % 2 ? Buffer.from([0xff, 0xff, 0]) : Buffer.from([0x00]))),
  );
  await Promise.all(Array.from({ length: 10 }, othersAreAnswered));
  await Promise.all(hanging.map((h) => h.closedByServer()));
});

test('a connection left idle after its answer is closed (RFC 7766 §6.2.3)', async () => {
  const conn = await RawTcp.open(server().tcp);
  await conn.write(frame(probe(0x0c0c)));
  assertProbeAnswer(await conn.next(), 0x0c0c);
  await conn.closedByServer();
  await othersAreAnswered();
});
