// The container's query log (CoreDNS `log`) and error lines (CoreDNS `errors`), as a user sees
// them: real queries over UDP and TCP, lines read from the process's stdout and stderr and
// compared field by field with CoreDNS's common log format; a flood with stdout not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { closedPort } from './support/closed-port.ts';
import { SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import {
  frame,
  makeQuery,
  queryTcp,
  queryUdp,
  rcodeOf,
  type Addr,
  type Reply,
} from './support/dns-client.ts';
import { pollUntil } from './support/poll.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';

const K8S = 'kubernetes.default.svc.cluster.local.';

interface Server {
  p: EntryProcess;
  udp: Addr;
  tcp: Addr;
  /** The DoH endpoint, with --doh. */
  doh?: string;
}

async function start(args: string[]): Promise<Server> {
  const p = startEntry('functions/entry/container.ts', [
    '--snapshot',
    SAMPLE_CLUSTER,
    '--dns',
    '127.0.0.1:0',
    ...args,
  ]);
  const addrs = parseReadyLine(await p.waitFor(/^edge-dns ready/, { stream: 'stdout' }));
  assert.ok(addrs);
  const doh = p.lines().find((l) => l.text.startsWith('edge-dns DoH on '));
  return { p, ...addrs, doh: doh && /on (\S+\/dns-query)/.exec(doh.text)?.[1] };
}

interface Case {
  /** `NAME TYPE` in presentation form. */
  q: string;
  rcode: string;
  rflags: string;
  class: 'success' | 'denial' | 'error';
}

// What the sample cluster answers, without a forwarder.
const cases: Case[] = [
  { q: `${K8S} A`, rcode: 'NOERROR', rflags: 'qr,aa,rd', class: 'success' },
  { q: `${K8S} AAAA`, rcode: 'NOERROR', rflags: 'qr,aa,rd', class: 'denial' },
  {
    q: 'missing.default.svc.cluster.local. A',
    rcode: 'NXDOMAIN',
    rflags: 'qr,aa,rd',
    class: 'denial',
  },
  { q: 'example.com. A', rcode: 'REFUSED', rflags: 'qr,rd', class: 'error' },
];

let nextId = 20_000;

/** Sends `c` over `proto` with a fresh ID (EDNS 1232 over UDP); the query bytes and the reply. */
async function ask(
  c: Pick<Case, 'q'>,
  proto: 'udp' | 'tcp' | 'https',
  to: Omit<Server, 'p'>,
): Promise<{ id: number; query: Buffer; reply: Reply }> {
  const [name, type] = c.q.split(' ') as [string, RecordType];
  const id = nextId++;
  const query = dnsPacket.encode(
    makeQuery(name.replace(/\.$/, ''), type, { id, edns: proto === 'udp' ? 1232 : false }),
  );
  const reply =
    proto === 'udp'
      ? await queryUdp(to.udp, query)
      : proto === 'tcp'
        ? (await queryTcp(to.tcp, [query]))[0]!
        : await queryDoh(to.doh!, query);
  assert.equal(reply.id, id);
  return { id, query, reply };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** RFC 8484 §4.1 POST. */
async function queryDoh(url: string, query: Buffer): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
    body: new Uint8Array(query),
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(res.status, 200);
  const raw = Buffer.from(await res.arrayBuffer());
  return Object.assign(dnsPacket.decode(raw), { raw });
}

/**
 * CoreDNS's common format with every field exact but the client port and the duration. DoH is
 * logged as tcp, as CoreDNS does.
 */
function commonLine(
  c: Case,
  proto: 'udp' | 'tcp' | 'https',
  a: { id: number; query: Buffer; reply: Reply },
): RegExp {
  const [name, type] = c.q.split(' ');
  const head = `[INFO] 127.0.0.1:`;
  const request = `"${type} IN ${name} ${proto === 'udp' ? 'udp' : 'tcp'} ${a.query.length} false ${proto === 'udp' ? 1232 : 65535}"`;
  const tail = `${c.rcode} ${c.rflags} ${a.reply.raw.length}`;
  return new RegExp(
    `^${escape(head)}\\d{1,5} - ${a.id} ${escape(request)} ${escape(tail)} \\d+(\\.\\d{1,9})?s$`,
  );
}

test('--log: one CoreDNS common-format line per query, over UDP, TCP and DoH, every class', async () => {
  const { p, ...to } = await start(['--log', '--doh', '127.0.0.1:0']);
  try {
    for (const proto of ['udp', 'tcp', 'https'] as const)
      for (const c of cases) {
        const sent = await ask(c, proto, to);
        assert.equal(rcodeOf(sent.reply), c.rcode, `${proto} ${c.q}`);
        const line = await p.waitFor(new RegExp(` - ${sent.id} "`), { stream: 'stdout' });
        assert.match(line, commonLine(c, proto, sent), `${proto} ${c.q}`);
      }
  } finally {
    await p.stop();
  }
});

test('--log-format and --log-class: the seed format, denials and errors only', async () => {
  const format =
    '{type} {name} {rcode} {rtype} {>rflags} {>bufsize} {>do} {>id} {remote} {size} {duration}';
  const { p, udp, tcp } = await start(['--log-format', format, '--log-class', 'denial,error']);
  try {
    const sent = [];
    for (const c of cases) sent.push({ c, ...(await ask(c, 'udp', { udp, tcp })) });
    // Lines keep the order of the replies: once the last is there, every earlier one is too.
    await p.waitFor(new RegExp(` ${sent.at(-1)!.id} 127\\.0\\.0\\.1 `), { stream: 'stdout' });
    const logged = p
      .lines()
      .filter((l) => l.stream === 'stdout' && l.text.startsWith('[INFO] '))
      .map((l) => l.text);
    const want = sent
      .filter((s) => s.c.class !== 'success')
      .map(({ c, id, query, reply }) => {
        const [name, type] = c.q.split(' ');
        const rtype = reply.answers?.[0]?.type ?? '-';
        return new RegExp(
          `^\\[INFO\\] ${type} ${escape(name!)} ${c.rcode} ${rtype} ${c.rflags} 1232 false ${id} 127\\.0\\.0\\.1 ${query.length} \\d+(\\.\\d+)?s$`,
        );
      });
    assert.equal(logged.length, want.length, logged.join('\n'));
    logged.forEach((line, i) => assert.match(line, want[i]!));
  } finally {
    await p.stop();
  }
});

test('--log-json: one JSON object per line with the common fields, typed', async () => {
  const { p, udp, tcp } = await start(['--log', '--log-json']);
  try {
    const sent = await ask(cases[0]!, 'tcp', { udp, tcp });
    const line = await p.waitFor(new RegExp(`"id":${sent.id},`), { stream: 'stdout' });
    const fields = JSON.parse(line);
    assert.ok(typeof fields.port === 'number' && fields.port > 0);
    assert.ok(typeof fields.duration === 'number' && fields.duration >= 0);
    assert.deepEqual(
      { ...fields, port: 0, duration: 0 },
      {
        remote: '127.0.0.1',
        port: 0,
        id: sent.id,
        type: 'A',
        class: 'IN',
        name: K8S,
        proto: 'tcp',
        size: sent.query.length,
        do: false,
        bufsize: 65535,
        rcode: 'NOERROR',
        rflags: 'qr,aa,rd',
        rsize: sent.reply.raw.length,
        duration: 0,
      },
    );
  } finally {
    await p.stop();
  }
});

test('--errors: a failed forward is a CoreDNS errors line with the name, type and cause', async () => {
  const port = await closedPort();
  const { p, udp, tcp } = await start(['--errors', '--forward', `test=127.0.0.1:${port}`]);
  try {
    for (const name of ['one.test.', 'two.test.']) {
      const { reply } = await ask({ q: `${name} A` }, 'udp', { udp, tcp });
      assert.equal(reply.flags! & 0xf, 2, 'SERVFAIL');
    }
    const upstream = `udp://127.0.0.1:${port}`;
    for (const name of ['one.test.', 'two.test.'])
      await p.waitFor(
        new RegExp(`^\\[ERROR\\] plugin/errors: 2 ${escape(name)} A: ${escape(upstream)}: \\S`),
        { stream: 'stderr' },
      );
    // max_fails 2: the second failure marks the upstream down, a failure outside a query.
    await p.waitFor(
      new RegExp(`^\\[ERROR\\] plugin/forward: ${escape(upstream)} is down after 2 failures`),
      {
        stream: 'stderr',
      },
    );
    assert.ok(!p.stderr().includes('edge-dns: '), p.stderr());
  } finally {
    await p.stop();
  }
});

test('without --errors, failures print as before: plain lines, none per query', async () => {
  const port = await closedPort();
  const { p, udp, tcp } = await start(['--forward', `test=127.0.0.1:${port}`]);
  try {
    for (const name of ['one.test.', 'two.test.'])
      await ask({ q: `${name} A` }, 'udp', { udp, tcp });
    await p.waitFor(/^edge-dns: udp:\/\/127\.0\.0\.1:\d+ is down after 2 failures/, {
      stream: 'stderr',
    });
    assert.ok(!p.stderr().includes('[ERROR]'), p.stderr());
  } finally {
    await p.stop();
  }
});

test('--errors-consolidate: matching errors are counted and reported once per interval', async () => {
  const port = await closedPort();
  const { p, udp, tcp } = await start([
    '--errors-consolidate',
    '1s=.*',
    '--forward',
    `test=127.0.0.1:${port}`,
  ]);
  try {
    for (const name of ['one.test.', 'two.test.'])
      await ask({ q: `${name} A` }, 'udp', { udp, tcp });
    // Two query failures and the upstream marked down: 3, in one interval's line or split over two.
    const pattern = /^\[ERROR\] plugin\/errors: (\d+) errors like '\.\*' occurred in last 1s$/;
    let counted = 0;
    for (let from = 0; counted < 3;) {
      const line = await p.waitFor(pattern, { stream: 'stderr', from });
      counted += Number(pattern.exec(line)![1]);
      from = p.lines().findIndex((l, i) => i >= from && l.text === line) + 1;
    }
    assert.equal(counted, 3);
    assert.ok(!/plugin\/errors: 2 |plugin\/forward:/.test(p.stderr()), p.stderr());
  } finally {
    await p.stop();
  }
});

/**
 * Sends `count` queries pipelined on one TCP connection, `window` in flight (under the server's
 * 64 per connection); resolves with the replies counted. TCP, so that no datagram lost under load
 * makes the count uncertain.
 */
function flood(to: Addr, query: Buffer, count: number, window = 48): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(to.port, to.host);
    let sent = 0;
    let answered = 0;
    let pending = Buffer.alloc(0);
    const framed = frame(query);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${answered} of ${count} answered within 60 s`));
    }, 60_000);
    const send = (n: number) => {
      const k = Math.min(n, count - sent);
      if (k <= 0) return;
      sent += k;
      socket.write(Buffer.concat(Array<Buffer>(k).fill(framed)));
    };
    socket.on('connect', () => send(window));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      let replies = 0;
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        pending = pending.subarray(2 + pending.readUInt16BE(0));
        replies++;
      }
      answered += replies;
      if (answered >= count) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answered);
      } else send(replies);
    });
  });
}

test('a flood with stdout not read: every query answered, lines dropped and counted, memory bounded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-log-'));
  const bufferChars = 65_536;
  const config = join(dir, 'edge-dns.yaml');
  writeFileSync(config, `log:\n  bufferChars: ${bufferChars}\n`);
  const { p, tcp } = await start(['--config', config]);
  try {
    const count = 30_000;
    const query = dnsPacket.encode(makeQuery(K8S.slice(0, -1), 'A', { id: 4321 }));
    const from = p.mark();
    const release = p.holdStdout();
    assert.equal(await flood(tcp, query, count), count, 'every query answered');
    release();
    // Every query's line is written or counted in a report of dropped lines; the reports come
    // after the lines held with them, so once the sums meet, nothing is still on its way.
    const flooded = (text: string) => text.includes(' - 4321 "A IN ');
    const tally = () => {
      const out = p.lines().slice(from);
      const dropped = out
        .map((l) => /^\[WARNING\] plugin\/log: (\d+) query log lines dropped/.exec(l.text))
        .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
      return { logged: out.filter((l) => flooded(l.text)).length, dropped };
    };
    const { logged, dropped } = await pollUntil(
      async () => tally(),
      (t) => t.logged + t.dropped >= count,
      { what: 'every line logged or counted as dropped' },
    );
    assert.equal(logged + dropped, count, 'no line lost unaccounted');
    assert.ok(dropped > 0, 'lines were dropped');
    // Written at most: what the pipe (1 MiB at most: Linux's pipe-max-size) and this side's read
    // buffer took, the stream's one chunk and the writer's buffer, each of them the bound.
    const lineChars = p.lines().find((l) => flooded(l.text))!.text.length + 1;
    const most = Math.ceil((2 * bufferChars + (1 << 20) + (1 << 16)) / lineChars);
    assert.ok(logged <= most, `${logged} lines logged, at most ${most}`);
  } finally {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
