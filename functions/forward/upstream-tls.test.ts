// TlsUpstream (RFC 7858) against a node:tls upstream on loopback with the fixture certificate:
// pipelined queries on one connection, the certificate's trust and name, a stalled upstream, a
// connection the server closed, the idle close.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { TlsUpstream } from './upstream-tls.ts';
import { UpstreamError } from './upstream.ts';
import { startDotUpstream, type DotUpstream } from '../../test/support/dot-upstream.ts';
import { pollUntil } from '../../test/support/poll.ts';

let up: DotUpstream;
let stalled: DotUpstream;
before(async () => {
  up = await startDotUpstream({ address: '192.0.2.53' });
  stalled = await startDotUpstream({ stall: true });
});
after(async () => {
  await up.close();
  await stalled.close();
});

const query = (name: string, id: number) =>
  dnsPacket.encode({ type: 'query', id, questions: [{ name, type: 'A', class: 'IN' }] });

/** "ID rcode address" of a reply. */
function shown(reply: Uint8Array): string {
  const p = dnsPacket.decode(Buffer.from(reply)) as dnsPacket.DecodedPacket & { rcode: string };
  return `${p.id} ${p.rcode} ${(p.answers ?? []).map((a) => (a as { data: unknown }).data).join(',')}`;
}

test('pipelined queries share one connection; replies out of order go to their queries', async () => {
  const tls = new TlsUpstream(up.address, { ca: up.ca, serverName: 'localhost' });
  const before = up.connections;
  const replies = await Promise.all(
    [11, 12, 13].map((id) => tls.exchange(query(`q${id}.example`, id))),
  );
  assert.deepEqual(replies.map(shown), [
    '11 NOERROR 192.0.2.53',
    '12 NOERROR 192.0.2.53',
    '13 NOERROR 192.0.2.53',
  ]);
  assert.equal(await tls.exchange(query('again.example', 14)).then(shown), '14 NOERROR 192.0.2.53');
  assert.equal(up.connections - before, 1, 'one connection for all four');
  tls.close();
});

test('two queries in flight with one ID both get their replies, each with its ID', async () => {
  const tls = new TlsUpstream(up.address, { ca: up.ca, serverName: 'localhost' });
  const replies = await Promise.all([
    tls.exchange(query('same-a.example', 77)),
    tls.exchange(query('same-b.example', 77)),
  ]);
  assert.deepEqual(replies.map(shown), ['77 NOERROR 192.0.2.53', '77 NOERROR 192.0.2.53']);
  tls.close();
});

// The certificate: CN localhost, SAN localhost, 127.0.0.1 and ::1, self-signed.
const trust: [what: string, options: ConstructorParameters<typeof TlsUpstream>[1], want: RegExp][] =
  [
    ['the CA and the name it holds', { serverName: 'localhost' }, /^ok$/],
    ['the CA, no name: the IP address is checked', {}, /^ok$/],
    ['another name', { serverName: 'dns.example' }, /TLS: .*dns\.example/],
    ['no CA: the system CAs do not hold it', { serverName: 'localhost', ca: undefined }, /TLS: /],
  ];
for (const [what, options, want] of trust)
  test(`certificate: ${what}`, async () => {
    const tls = new TlsUpstream(up.address, { ca: up.ca, ...options });
    const outcome = await tls.exchange(query('trust.example', 5)).then(
      () => 'ok',
      (e: UpstreamError) => `${e.reason}: ${e.message}`,
    );
    assert.match(outcome, want);
    if (want.source !== '^ok$') assert.match(outcome, /^network: tls:\/\/127\.0\.0\.1:/);
    tls.close();
  });

test('a stalled upstream fails at the deadline, and the next exchange opens a new connection', async () => {
  const tls = new TlsUpstream(stalled.address, {
    ca: stalled.ca,
    serverName: 'localhost',
    timeoutMs: 200,
  });
  const before = stalled.connections;
  for (const id of [1, 2]) {
    const error = await tls.exchange(query('stalled.example', id)).catch((e: UpstreamError) => e);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.reason, 'timeout');
  }
  assert.equal(stalled.connections - before, 2, 'the stalled connection was given up');
  tls.close();
});

test('a connection the server closed is replaced, and the query answered', async () => {
  const tls = new TlsUpstream(up.address, { ca: up.ca, serverName: 'localhost' });
  const before = up.connections;
  assert.equal(await tls.exchange(query('first.example', 21)).then(shown), '21 NOERROR 192.0.2.53');
  up.hangUp();
  assert.equal(await tls.exchange(query('after.example', 22)).then(shown), '22 NOERROR 192.0.2.53');
  assert.equal(up.connections - before, 2);
  tls.close();
});

test('an idle connection is closed after idleMs', async () => {
  const tls = new TlsUpstream(up.address, { ca: up.ca, serverName: 'localhost', idleMs: 50 });
  await tls.exchange(query('idle.example', 31));
  assert.equal(up.open, 1);
  await pollUntil(
    async () => up.open,
    (n) => n === 0,
    { what: 'the idle close' },
  );
  tls.close();
});

test('an aborted exchange rejects as aborted', async () => {
  const tls = new TlsUpstream(stalled.address, { ca: stalled.ca, serverName: 'localhost' });
  const controller = new AbortController();
  const pending = tls.exchange(query('abort.example', 41), controller.signal);
  controller.abort();
  await assert.rejects(pending, (e: UpstreamError) => e.reason === 'aborted');
  tls.close();
});
