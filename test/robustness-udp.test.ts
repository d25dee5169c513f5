// The port-53 server over UDP against bad input (docs/architecture.md §6.7): random
// bytes and damaged queries get no answer (RFC 1035 §4.1.1: short or QR=1) or a well-formed
// answer with the query's ID, FORMERR when the query does not decode; the server keeps answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import dnsPacket from 'dns-packet';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import {
  mustAnswer,
  mutatedQueryArb,
  randomBytesArb,
  tryDecode,
  udpLimit,
} from './support/mutations.ts';
import {
  UdpPeer,
  containerForSuite,
  assertProbeAnswer,
  idOf,
  probe,
} from './support/raw-sockets.ts';

const server = containerForSuite(['--snapshot', SAMPLE_CLUSTER]);

/**
 * Sends `query`, then the liveness probe, from one socket. When the server must answer, waits for
 * the answer with the query's ID; when it must not, the probe's answer arriving first is the
 * sign that nothing came back (no sleeping). Returns the answer to `query`, if any.
 */
async function exchange(query: Buffer): Promise<Buffer | undefined> {
  const peer = new UdpPeer(server().udp);
  try {
    const id = idOf(query) ?? 0;
    const probeId = id ^ 0x5a5a;
    await peer.send(query);
    const answer = mustAnswer(query)
      ? await peer.next((m) => idOf(m) === id, `answer to ID ${id}`)
      : undefined;
    await peer.send(probe(probeId));
    assertProbeAnswer(await peer.next((m) => idOf(m) === probeId, 'probe answer'), probeId);
    if (!mustAnswer(query)) {
      assert.deepEqual(
        peer.received.slice(0, -1),
        [],
        'no answer to a short message or a response (QR=1)',
      );
    }
    return answer;
  } finally {
    peer.close();
  }
}

/** What any answer to `query` must be. */
function checkAnswer(query: Buffer, answer: Buffer | undefined): void {
  if (!mustAnswer(query)) return assert.equal(answer, undefined);
  assert.ok(answer);
  const decodedQuery = tryDecode(query);
  let reply;
  try {
    reply = dnsPacket.decode(answer);
  } catch (error) {
    assert.fail(
      `the answer does not decode (${(error as Error).message}): ${answer.toString('hex')}`,
    );
  }
  assert.equal(reply.id, query.readUInt16BE(0), 'ID echoed');
  assert.equal(reply.type, 'response', 'QR set');
  assert.ok(
    answer.length <= udpLimit(decodedQuery),
    `${answer.length} bytes over the UDP limit ${udpLimit(decodedQuery)}`,
  );
  const rcode = rcodeOf(reply);
  if (!decodedQuery) assert.equal(rcode, 'FORMERR', 'an undecodable query gets FORMERR');
  else
    assert.ok(
      ['NOERROR', 'FORMERR', 'NXDOMAIN', 'NOTIMP', 'REFUSED'].includes(rcode),
      `rcode ${rcode} (SERVFAIL would mean an internal failure)`,
    );
}

const runs = { numRuns: 300, endOnFailure: true } as const;

test('UDP: random bytes get no answer or FORMERR with their ID, and the server keeps answering', async () => {
  await fc.assert(
    fc.asyncProperty(randomBytesArb, async (bytes) => checkAnswer(bytes, await exchange(bytes))),
    { ...runs, seed: 53 },
  );
});

test('UDP: damaged valid queries get a well-formed answer with their ID, and the server keeps answering', async () => {
  await fc.assert(
    fc.asyncProperty(mutatedQueryArb, async ({ bytes }) =>
      checkAnswer(bytes, await exchange(bytes)),
    ),
    { ...runs, seed: 1035 },
  );
});

test('UDP: messages at the edges of the rules', async (t) => {
  const valid = dnsPacket.encode(
    makeQuery('kubernetes.default.svc.cluster.local', 'A', { id: 0x7777 }),
  );
  const asResponse = Buffer.from(valid);
  asResponse.writeUInt8(asResponse.readUInt8(2) | 0x80, 2);
  const cases: { name: string; bytes: Buffer }[] = [
    { name: 'empty datagram', bytes: Buffer.alloc(0) },
    { name: '11 bytes', bytes: valid.subarray(0, 11) },
    { name: 'header only', bytes: valid.subarray(0, 12) },
    { name: 'a response (QR=1)', bytes: asResponse },
    {
      name: 'question pointing at itself',
      bytes: Buffer.concat([valid.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]),
    },
    {
      name: 'all counts 0xffff',
      bytes: Buffer.concat([valid.subarray(0, 4), Buffer.alloc(8, 0xff), valid.subarray(12)]),
    },
    {
      name: 'a 64 KB-ish datagram of zeros',
      bytes: Buffer.concat([valid.subarray(0, 12), Buffer.alloc(60000)]),
    },
  ];
  for (const c of cases)
    await t.test(c.name, async () => checkAnswer(c.bytes, await exchange(c.bytes)));
});

test('UDP: the server still answers a valid query after the fuzzing', async () => {
  const reply = await queryUdp(
    server().udp,
    makeQuery('kubernetes.default.svc.cluster.local', 'A'),
  );
  assert.equal(rcodeOf(reply), 'NOERROR');
  assert.deepEqual(
    reply.answers?.map((a) => (a.type === 'A' ? a.data : a.type)),
    ['10.96.0.1'],
  );
});
