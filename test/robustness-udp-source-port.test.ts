// A UDP query whose source port is 0 (forged: no real socket sends from port 0) must not stop the
// server: its answer cannot be sent, so it is dropped (RFC 768 lets port 0 mean "no reply").
// Node's dgram send throws on port 0; the server must contain that. Node has no raw sockets, so
// the datagram is written by python3 through a raw socket (root or CAP_NET_RAW); the test skips,
// saying why, when that is not possible here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import dnsPacket from 'dns-packet';
import { startContainer, SAMPLE_CLUSTER, type Container } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { assertAlive } from './support/raw-sockets.ts';

// Builds the UDP header itself (source port 0, checksum 0 = none for IPv4, RFC 768); the kernel
// adds the IP header. Sends only to 127.0.0.1.
const SEND_FROM_PORT_0 = `
import socket, struct, sys
port, payload = int(sys.argv[1]), bytes.fromhex(sys.argv[2])
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
except PermissionError:
    sys.exit(3)
s.sendto(struct.pack('!HHHH', 0, port, 8 + len(payload), 0) + payload, ('127.0.0.1', 0))
`;

let server: Container;

before(async () => {
  server = await startContainer(['--snapshot', SAMPLE_CLUSTER]);
});

after(async () => {
  await server?.stop();
});

test('UDP: a query from source port 0 is dropped and the server keeps serving', async (t) => {
  const query = dnsPacket.encode(
    makeQuery('kubernetes.default.svc.cluster.local', 'A', { id: 0x0d0d }),
  );
  const sent = spawnSync(
    'python3',
    ['-c', SEND_FROM_PORT_0, String(server.udp.port), query.toString('hex')],
    { encoding: 'utf8' },
  );
  if (sent.error || sent.status === 3)
    return t.skip(
      `cannot forge a source port here (${sent.error?.message ?? 'no raw socket permission'})`,
    );
  assert.equal(sent.status, 0, sent.stderr);

  // The next query is answered only if the server survived the first.
  const reply = await queryUdp(
    server.udp,
    makeQuery('kubernetes.default.svc.cluster.local', 'A'),
  ).catch((error: Error) => assert.fail(`${error.message}; server stderr:\n${server.stderr()}`));
  assert.equal(rcodeOf(reply), 'NOERROR');
  assertAlive(server.pid, server.stderr());
});
