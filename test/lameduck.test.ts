// Shutdown as CoreDNS's `health { lameduck }` does it, on the container as a process: after
// SIGTERM it keeps answering UDP, TCP and DoH for the lameduck duration while /ready says 503
// and /health 200, then stops accepting, answers what it had read (pipelined TCP queries and DoH
// requests waiting on a slow upstream the test holds), and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf } from './support/dns-client.ts';
import { dnsperfLoad } from './support/dnsperf-load.ts';
import { startEntry } from './support/entry-process.ts';
import { http2Fetcher } from './support/http2-fetcher.ts';
import { getProbe } from './support/probe-client.ts';
import { a, answer, startScriptedUpstream } from './support/scripted-upstream.ts';
import { requireTool } from './support/tools.ts';
import { FrameReader } from '../functions/dns53/tcp-framing.ts';

const CA = readFileSync(join(REPO_ROOT, 'test/fixtures/tls/localhost.crt'));
const IN_ZONE = [
  'kubernetes.default.svc.cluster.local A',
  'web.shop.svc.cluster.local A',
  'absent.default.svc.cluster.local A',
  '_https._tcp.web.shop.svc.cluster.local SRV',
];

/** A TCP connection that collects framed replies and notices the server closing it. */
function tcpClient(port: number): Promise<{
  socket: Socket;
  replies: Buffer[];
  ended: Promise<void>;
}> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new FrameReader();
    const replies: Buffer[] = [];
    const ended = new Promise<void>((done) => socket.once('end', () => done()));
    socket.on('data', (chunk: Buffer) => replies.push(...reader.push(chunk)));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, replies, ended }));
  });
}

const wire = (name: string, id: number) => {
  const q = dnsPacket.encode(makeQuery(name, 'A', { id }));
  const out = Buffer.alloc(2 + q.length);
  out.writeUInt16BE(q.length);
  q.copy(out, 2);
  return out;
};

/** A DoH wire GET over HTTP/1.1 with TLS on its own keep-alive connection. */
function h1Get(
  base: string,
  name: string,
): Promise<{ status: number; connection?: string; body: Buffer }> {
  const q = Buffer.from(dnsPacket.encode(makeQuery(name, 'A', { id: 0 }))).toString('base64url');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${base}/dns-query?dns=${q}`,
      { ca: CA, headers: { accept: 'application/dns-message' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.once('error', reject);
    req.end();
  });
}

test('lameduck: answers for its duration with /ready 503, then drains what is in flight and exits 0', async (t) => {
  const skip = requireTool('dnsperf');
  if (skip) return t.skip(skip);
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-lameduck-'));
  const upstream = await startScriptedUpstream();
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  const slow = ['s1', 's2', 's3', 's4', 'h2', 'h1'].map((s) => `${s}.slow.test`);
  for (const name of slow)
    upstream.script(name, 'A', { ...answer([a(name, '192.0.2.7')]), until: held });
  const server = startEntry('functions/entry/container.ts', [
    ...['--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0', '--lameduck', '3s'],
    ...['--health', '127.0.0.1:0', '--ready', '127.0.0.1:0', '--doh', '127.0.0.1:0'],
    ...[
      '--doh-cert',
      'test/fixtures/tls/localhost.crt',
      '--doh-key',
      'test/fixtures/tls/localhost.key',
    ],
    ...['--forward', `slow.test=${upstream.address}`, '--forward-timeout', '10s'],
  ]);
  const h2 = { close: () => {} };
  try {
    const dns = parseReadyLine(await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 }))!;
    const health = /(http:\S+\/health)$/.exec(await server.waitFor(/probes on .*\/health$/))![1]!;
    const ready = /(http:\S+\/ready)$/.exec(await server.waitFor(/probes on .*\/ready$/))![1]!;
    const doh = /DoH on (\S+)\/dns-query/.exec(await server.waitFor(/DoH on /))![1]!;
    assert.deepEqual(await getProbe(ready), { status: 200, body: 'OK\n' });

    // A steady 2,000 q/s that outlasts the signal but ends inside the lameduck window.
    const load = dnsperfLoad({
      server: dns.udp,
      queries: IN_ZONE,
      file: join(dir, 'queries.txt'),
      qps: 2000,
      seconds: 2,
    });
    await load.started;
    const tcp = await tcpClient(dns.tcp.port);
    const fetcher = http2Fetcher(doh);
    h2.close = () => fetcher.close();
    await fetcher.fetch(new Request(`${doh}/resolve?name=kubernetes.default.svc.cluster.local`));

    const signalled = server.mark();
    process.kill(server.pid, 'SIGTERM');
    await server.waitFor(/SIGTERM: lameduck 3s/, { from: signalled });
    // Lameduck: still alive and answering everywhere, but no longer ready.
    assert.deepEqual(await getProbe(health), { status: 200, body: 'OK\n' });
    assert.deepEqual(await getProbe(ready), { status: 503, body: 'not ready: lameduck\n' });
    const udpReply = await queryUdp(
      dns.udp,
      makeQuery('kubernetes.default.svc.cluster.local', 'A'),
    );
    assert.equal(rcodeOf(udpReply), 'NOERROR');
    const [tcpReply] = await queryTcp(dns.tcp, [makeQuery('web.shop.svc.cluster.local', 'A')]);
    assert.equal(rcodeOf(tcpReply!), 'NOERROR', 'a new TCP connection during lameduck');

    // In flight across the end of lameduck: four pipelined TCP queries and two DoH requests
    // waiting on the held upstream; one in-zone query on the same connection answers at once.
    tcp.socket.write(
      Buffer.concat([
        ...[1, 2, 3, 4].map((i) => wire(`s${i}.slow.test`, i)),
        wire('kubernetes.default.svc.cluster.local', 99),
      ]),
    );
    const overH2 = fetcher.fetch(
      new Request(
        `${doh}/dns-query?dns=${Buffer.from(dnsPacket.encode(makeQuery('h2.slow.test', 'A', { id: 0 }))).toString('base64url')}`,
        {
          headers: { accept: 'application/dns-message' },
        },
      ),
    );
    const overH1 = h1Get(doh, 'h1.slow.test');
    // Awaited below; a failure before then is reported there, not as an unhandled rejection.
    for (const pending of [overH1, overH2]) pending.catch(() => {});
    for (const name of slow) await upstream.nextQuery((q) => q.name === name);
    assert.deepEqual(
      tcp.replies.map((r) => r.readUInt16BE(0)),
      [99],
      'the in-zone answer, out of order, before the held ones (RFC 7766 §6.2.1.1)',
    );

    // Lameduck over: listeners stop accepting; what was read is still answered.
    await server.waitFor(/draining: no new queries/, { from: signalled, timeoutMs: 10_000 });
    await assert.rejects(
      queryTcp(dns.tcp, [makeQuery('kubernetes.default.svc.cluster.local', 'A')], 1000),
      /ECONNREFUSED|closed/,
      'no new TCP connections while draining',
    );
    assert.equal((await getProbe(health)).status, 200, '/health until the process exits');
    release();
    await tcp.ended;
    const ids = tcp.replies.map((r) => r.readUInt16BE(0)).sort((x, y) => x - y);
    assert.deepEqual(
      ids,
      [1, 2, 3, 4, 99],
      'every pipelined query answered, then the connection closed',
    );
    for (const r of tcp.replies) assert.equal(rcodeOf(dnsPacket.decode(r)), 'NOERROR');
    const viaH2 = await overH2;
    assert.equal(viaH2.status, 200);
    const h2Answer = dnsPacket.decode(Buffer.from(await viaH2.arrayBuffer()));
    assert.equal((h2Answer.answers?.[0] as { data?: string } | undefined)?.data, '192.0.2.7');
    const viaH1 = await overH1;
    assert.equal(viaH1.status, 200);
    assert.equal(viaH1.connection, 'close', 'HTTP/1.1: the connection ends after the response');
    assert.equal(
      (dnsPacket.decode(viaH1.body).answers?.[0] as { data?: string }).data,
      '192.0.2.7',
    );

    const report = await load.done;
    assert.equal(report.lost, 0, `dnsperf lost queries across SIGTERM:\n${report.text}`);
    assert.equal(report.completed, report.sent);
    assert.ok(report.sent >= 3000, `dnsperf sent ${report.sent} queries in 2 s at 2,000 q/s`);
    assert.equal(await server.exited, 0);
  } finally {
    h2.close();
    release();
    await server.stop('SIGKILL');
    await upstream.close();
  }
});

test('a second SIGTERM during lameduck exits at once (128 + 15)', async () => {
  const server = startEntry('functions/entry/container.ts', [
    ...['--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0', '--lameduck', '1m'],
  ]);
  try {
    await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
    const signalled = server.mark();
    process.kill(server.pid, 'SIGTERM');
    await server.waitFor(/SIGTERM: lameduck 1m/, { from: signalled });
    process.kill(server.pid, 'SIGTERM');
    assert.equal(await server.exited, 143);
    assert.match(server.stderr(), /SIGTERM again: exiting now/);
  } finally {
    await server.stop('SIGKILL');
  }
});

test('without --lameduck, SIGTERM drains at once and exits 0', async () => {
  const server = startEntry('functions/entry/container.ts', [
    ...['--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0'],
  ]);
  try {
    await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
    process.kill(server.pid, 'SIGTERM');
    assert.equal(await server.exited, 0);
    assert.doesNotMatch(server.stderr(), /lameduck/);
  } finally {
    await server.stop('SIGKILL');
  }
});
