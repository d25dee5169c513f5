// The TCP connection cap (RFC 7766 §6.2.2): with `--tcp-max-connections 8`, eight idle clients
// fill the slots, a ninth is closed unanswered, and the slots come back once the idle ones time out.
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

const server = containerForSuite([
  '--snapshot',
  SAMPLE_CLUSTER,
  '--tcp-max-connections',
  '8',
  '--tcp-idle-timeout',
  '1000',
]);

test('a ninth connection is closed while eight idle ones hold the slots, and served once they time out', async () => {
  // Connected one after another, so the server accepts them in this order (the listen queue is FIFO).
  const idle: RawTcp[] = [];
  for (let i = 0; i < 8; i++) idle.push(await RawTcp.open(server().tcp));

  const ninth = await RawTcp.open(server().tcp);
  if (!ninth.closed) await ninth.write(frame(probe(0x0909))).catch(() => {});
  await ninth.closedByServer();
  assert.equal(ninth.bytesReceived, 0, 'the ninth got no answer');
  assert.deepEqual(
    idle.map((c) => c.closed),
    Array(8).fill(false),
    'the eight held their slots meanwhile',
  );

  // UDP does not count against the TCP cap.
  assert.equal(
    rcodeOf(await queryUdp(server().udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'))),
    'NOERROR',
  );

  await Promise.all(idle.map((c) => c.closedByServer()));
  // Every slot is free again: eight clients at once are all answered.
  const ids = Array.from({ length: 8 }, (_, i) => 0x0800 + i);
  const replies = await Promise.all(ids.map((id) => tcpOnce(server().tcp, probe(id))));
  replies.forEach((reply, i) => assertProbeAnswer(reply, ids[i]!));
});
