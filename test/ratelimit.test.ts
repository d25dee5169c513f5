// Rate limits and the ACL on the container's port 53, from several loopback source addresses
// (Linux answers for all of 127.0.0.0/8): a flooding client gets at most its budget while another
// is answered at once; what a limited client gets back is never larger than what it sent (RRL
// slip: truncated replies, silence); TCP over the limit is REFUSED; a Corefile's `acl` and
// `ratelimit` directives act the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer } from './support/container.ts';
import { connect } from 'node:net';
import { FrameReader, frame } from '../functions/dns53/tcp-framing.ts';
import { edeOf, makeQuery, type Addr } from './support/dns-client.ts';
import { scrapeMetrics } from './support/prometheus-text.ts';

const NAME = 'kubernetes.default.svc.cluster.local';
const TC = 0x02;

/** A UDP socket bound to `address` (a loopback source of its own), collecting what comes back. */
async function client(address: string) {
  const socket: Socket = createSocket('udp4');
  const replies: Buffer[] = [];
  socket.on('message', (m) => replies.push(m));
  await new Promise<void>((r) => socket.bind(0, address, r));
  return { socket, replies };
}

/** Sends `n` queries (IDs 1..n) from `c` to `to`, then a marker query on a fresh client of the
 *  allow-listed address, whose answer means the server has handled everything sent before. */
async function flood(
  c: Awaited<ReturnType<typeof client>>,
  to: Addr,
  n: number,
): Promise<Buffer[]> {
  const sent: Buffer[] = [];
  for (let id = 1; id <= n; id++) {
    const q = dnsPacket.encode(makeQuery(NAME, 'A', { id }));
    sent.push(q);
    c.socket.send(q, to.port, to.host);
  }
  return sent;
}

/** The rcodes of `n` pipelined TCP queries from the source address `from`, counted. */
function tcpRcodesFrom(from: string, to: Addr, n: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: to.host, port: to.port, localAddress: from });
    const reader = new FrameReader();
    const counts: Record<string, number> = {};
    let seen = 0;
    socket.setTimeout(5000, () => socket.destroy(new Error('no TCP answers within 5 s')));
    socket.once('error', reject);
    socket.on('connect', () => {
      const qs = Array.from({ length: n }, (_, i) =>
        frame(dnsPacket.encode(makeQuery(NAME, 'A', { id: i + 1 }))),
      );
      socket.write(Buffer.concat(qs));
    });
    socket.on('data', (chunk) => {
      for (const m of reader.push(chunk)) {
        const rcode = (dnsPacket.decode(m) as { rcode?: string }).rcode ?? '';
        counts[rcode] = (counts[rcode] ?? 0) + 1;
        if (++seen === n) {
          socket.end();
          resolve(counts);
        }
      }
    });
  });
}

/** Waits until `c` has had an answer with `id`, or the deadline. */
async function answerFor(c: Awaited<ReturnType<typeof client>>, to: Addr, id: number, name = NAME) {
  const q = dnsPacket.encode(makeQuery(name, 'A', { id }));
  for (let tries = 0; tries < 50; tries++) {
    c.socket.send(q, to.port, to.host);
    const got = await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 100);
      c.socket.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
    if (got && got.readUInt16BE(0) === id) return got;
  }
  throw new Error(`no answer to id ${id}`);
}

test('one client flooding gets its budget; another is answered at once; limited replies never exceed the queries', async () => {
  const c = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    ...['--ratelimit-per-client', '50', '--ratelimit-allow', '127.0.0.9'],
  ]);
  const flooder = await client('127.0.0.2');
  const other = await client('127.0.0.3');
  const marker = await client('127.0.0.9');
  try {
    const started = Date.now();
    const sent = await flood(flooder, c.udp, 1000);
    // The other client, while the flood is on: answered at once.
    const answer = await answerFor(other, c.udp, 4242);
    assert.equal(answer[3]! & 0xf, 0, 'NOERROR for the other client');
    // The allow-listed marker: once answered, the flood ahead of it was handled.
    await answerFor(marker, c.udp, 7);
    const seconds = (Date.now() - started) / 1000;
    const full = flooder.replies.filter((r) => !(r[2]! & TC));
    const slipped = flooder.replies.filter((r) => r[2]! & TC);
    // Its budget: a second's worth at first, then 50 a second for as long as the flood took.
    assert.ok(
      full.length <= 50 + Math.ceil(50 * seconds) + 1,
      `${full.length} answered in ${seconds} s`,
    );
    assert.ok(full.length >= 50, `the budget itself is served (${full.length})`);
    assert.ok(
      slipped.length > 0 && slipped.length < sent.length / 2 + 1,
      `${slipped.length} slips`,
    );
    for (const r of slipped) {
      const q = sent[r.readUInt16BE(0) - 1]!;
      assert.ok(r.length <= q.length, `slip of ${r.length} bytes for a query of ${q.length}`);
      assert.equal(dnsPacket.decode(r).questions?.[0]?.name, NAME);
    }
    const limitedBytes = slipped.reduce((n, r) => n + r.length, 0);
    const limitedQueryBytes = (sent.length - full.length) * sent[0]!.length;
    assert.ok(limitedBytes <= limitedQueryBytes, 'amplification of limited traffic <= 1');
    // Over TCP the same client is told REFUSED (its address is proven by the handshake).
    const tcp = await tcpRcodesFrom('127.0.0.2', c.tcp, 200);
    assert.ok((tcp.REFUSED ?? 0) >= 100 && (tcp.NOERROR ?? 0) <= 100, JSON.stringify(tcp));
  } finally {
    for (const x of [flooder, other, marker]) x.socket.close();
    await c.stop();
  }
});

test("a Corefile's acl and ratelimit: blocked, filtered and dropped by source; the rest answered", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-acl-'));
  const corefile = join(dir, 'Corefile');
  writeFileSync(
    corefile,
    `. {
  ratelimit {
    per_client 1000
    whitelist 127.0.0.1
  }
  acl cluster.local {
    block net 127.0.0.4
    filter type AAAA net 127.0.0.5
    drop net 127.0.0.6
  }
  kubernetes cluster.local {
    snapshot ${join(REPO_ROOT, SAMPLE_CLUSTER)}
  }
}
`,
  );
  const c = await startContainer(['--corefile', corefile, '--metrics', '127.0.0.1:0']);
  const ask = async (from: string, type: 'A' | 'AAAA') => {
    const x = await client(from);
    try {
      const q = dnsPacket.encode(makeQuery(NAME, type, { id: 99, edns: 1232 }));
      x.socket.send(q, c.udp.port, c.udp.host);
      // The same client's next query to another zone marks the end (it is not under the acl).
      const done = await answerFor(x, c.udp, 100, 'example.com').catch(() => undefined);
      assert.ok(done, 'the server answered the marker');
      const r = x.replies.find((m) => m.readUInt16BE(0) === 99);
      if (!r) return 'no reply';
      const p = dnsPacket.decode(r) as dnsPacket.DecodedPacket & { rcode: string };
      const ede = edeOf(p);
      return `${p.rcode} answers=${p.answers?.length}${ede ? ` ede=${ede}` : ''}`;
    } finally {
      x.socket.close();
    }
  };
  try {
    const rows: [string, 'A' | 'AAAA', string][] = [
      ['127.0.0.3', 'A', 'NOERROR answers=1'],
      ['127.0.0.4', 'A', 'REFUSED answers=0 ede=15'],
      ['127.0.0.5', 'AAAA', 'NOERROR answers=0 ede=17'],
      ['127.0.0.5', 'A', 'NOERROR answers=1'],
      ['127.0.0.6', 'A', 'no reply'],
    ];
    for (const [from, type, want] of rows)
      assert.equal(await ask(from, type), want, `${type} from ${from}`);
    const url = /edge-dns metrics on (http:\/\/\S+\/metrics)/.exec(c.stdout())?.[1];
    assert.ok(url, c.stdout());
    const m = await scrapeMetrics(url);
    const zone = { zone: 'cluster.local.' };
    assert.equal(m.value('coredns_acl_blocked_requests_total', zone), 1);
    assert.equal(m.value('coredns_acl_filtered_requests_total', zone), 1);
    assert.equal(m.value('coredns_acl_dropped_requests_total', zone), 1);
    // As CoreDNS counts it: every query the acl let through, under its zones or not (the two
    // answered rows and each client's example.com marker, sent again if its answer was late).
    assert.ok(m.value('coredns_acl_allowed_requests_total')! >= 7);
    assert.ok(m.value('edge_dns_ratelimit_requests_total', { verdict: 'pass' })! >= 10);
    assert.equal(m.value('edge_dns_ratelimit_requests_total', { verdict: 'drop' }), 0);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DoH over the limit: 429 with Retry-After, unread; within it, answers', async () => {
  const c = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    ...['--doh', '127.0.0.1:0', '--ratelimit-per-client', '5'],
  ]);
  try {
    const doh = /edge-dns DoH on (http:\/\/\S+\/dns-query)/.exec(c.stdout())?.[1];
    assert.ok(doh, c.stdout());
    const wire = dnsPacket.encode(makeQuery(NAME, 'A', { id: 0 })).toString('base64url');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${doh}?dns=${wire}`, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200], statuses.join());
    assert.ok(statuses.filter((s) => s === 429).length >= 10, statuses.join());
    assert.ok(Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);
  } finally {
    await c.stop();
  }
});
