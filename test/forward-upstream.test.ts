// UdpUpstream and TcpUpstream against the scripted upstream over real loopback sockets: replies
// pass through byte for byte; TC over UDP is retried over TCP; drops time out (a short read
// timeout, not a sleep); spoofed replies (wrong ID, wrong question, wrong source) are ignored
// (RFC 5452 §9.1); source ports and IDs are random (§9.2); TCP framing across chunks, a close
// mid-reply, garbage; abort. Only 127.0.0.1 and ::1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, RecordType } from 'dns-packet';
import { UdpUpstream, randomId } from '../functions/forward/upstream-udp.ts';
import { TcpUpstream } from '../functions/forward/upstream-tcp.ts';
import { UpstreamError, type Upstream } from '../functions/forward/upstream.ts';
import {
  a,
  aaaa,
  answer,
  drop,
  nxdomain,
  POISON,
  servfail,
  startScriptedUpstream,
  type Behaviour,
  type ScriptedUpstream,
} from './support/scripted-upstream.ts';
import { closedPort } from './support/closed-port.ts';

const SHORT = { timeoutMs: 200 };
let up: ScriptedUpstream;

before(async () => {
  up = await startScriptedUpstream();
});
after(async () => {
  await up.close();
});

let serial = 0;
/** A fresh name per test, so scripts and log counts never meet. */
const fresh = (label: string): string => `${label}-${++serial}.test`;

function query(
  name: string,
  type: RecordType = 'A',
  opts: { id?: number; edns?: boolean } = {},
): Buffer {
  const opt = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: 1232,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: dnsPacket.DNSSEC_OK,
  } as unknown as Answer;
  return dnsPacket.encode({
    type: 'query',
    id: opts.id ?? randomId(),
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: opts.edns ? [opt] : [],
  });
}

async function rejectsWith(
  promise: Promise<unknown>,
  reason: UpstreamError['reason'],
): Promise<UpstreamError> {
  const error = await promise.then(
    (reply) => assert.fail(`resolved (${(reply as Buffer).length} bytes), expected ${reason}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UpstreamError, `not an UpstreamError: ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  return error;
}

const aRecords = (name: string, n: number): Answer[] =>
  Array.from({ length: n }, (_, i) => a(name, `10.1.${i >> 8}.${i & 0xff}`, 60));
const addresses = (reply: Uint8Array): string[] =>
  (dnsPacket.decode(Buffer.from(reply)).answers ?? [])
    .flatMap((r) => (r.type === 'A' ? [r.data] : []))
    .sort();

const transports: [string, (opts?: { timeoutMs?: number }) => Upstream][] = [
  ['udp', (opts) => new UdpUpstream(up.address, opts)],
  ['tcp', (opts) => new TcpUpstream(up.address, opts)],
];

// --- pass-through -----------------------------------------------------------------------------

/** Replies built by hand (flags, TTLs, sections, an OPT, QDCOUNT 0 FORMERR): returned byte for byte. */
const passThrough: { name: string; reply: (q: Buffer, name: string) => Buffer }[] = [
  {
    name: 'NOERROR, AA, two A and an AAAA additional',
    reply: (q, name) =>
      dnsPacket.encode({
        type: 'response',
        id: q.readUInt16BE(0),
        flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED,
        questions: [{ name, type: 'A', class: 'IN' }],
        answers: [a(name, '192.0.2.1', 7), a(name, '192.0.2.2', 86400)],
        additionals: [aaaa(name, '2001:db8::1', 1)],
      }),
  },
  { name: 'NXDOMAIN with the SOA', reply: (q, name) => encodeAs(q, name, nxdomain('test', 30)) },
  { name: 'SERVFAIL', reply: (q, name) => encodeAs(q, name, servfail()) },
  { name: 'NODATA', reply: (q, name) => encodeAs(q, name, answer([])) },
  {
    name: 'FORMERR without a question (RFC 5452 exception, reply-check.ts)',
    reply: (q) => Buffer.from([q[0]!, q[1]!, 0x81, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
  },
];

function encodeAs(q: Buffer, name: string, b: Behaviour): Buffer {
  const rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 }[
    b.rcode ?? 'NOERROR'
  ];
  return dnsPacket.encode({
    type: 'response',
    id: q.readUInt16BE(0),
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
    questions: [{ name, type: 'A', class: 'IN' }],
    answers: b.answers ?? [],
    authorities: b.authorities ?? [],
  });
}

for (const [transport, make] of transports) {
  for (const c of passThrough) {
    test(`${transport}: ${c.name} passes through unchanged`, async () => {
      const name = fresh('pass');
      const sent = new Map<number, Buffer>();
      up.script(name, 'A', (q) => {
        const reply = c.reply(q.raw, name);
        sent.set(q.id, reply);
        return { raw: transport === 'tcp' ? Buffer.concat([u16(reply.length), reply]) : reply };
      });
      const q = query(name);
      const reply = await make().exchange(q);
      assert.deepEqual(Buffer.from(reply), sent.get(q.readUInt16BE(0)));
    });
  }

  test(`${transport}: the query goes out as the caller built it (EDNS OPT and DO included)`, async () => {
    const name = fresh('edns');
    up.script(name, 'AAAA', answer([aaaa(name, '2001:db8::5')]));
    const q = query(name, 'AAAA', { edns: true });
    await make().exchange(q);
    const received = await up.nextQuery((r) => r.name === name);
    assert.deepEqual(received.raw, q);
    assert.equal(received.transport, transport);
  });

  test(`${transport}: a dropped query times out at the read timeout`, async () => {
    const name = fresh('drop');
    up.script(name, 'A', drop());
    await rejectsWith(make(SHORT).exchange(query(name)), 'timeout');
    assert.equal(up.count(name, 'A', transport as 'udp' | 'tcp'), 1);
  });

  test(`${transport}: a port nothing listens on fails with a network error, not a timeout`, async () => {
    const port = await closedPort();
    const upstream =
      transport === 'udp'
        ? new UdpUpstream(`127.0.0.1:${port}`, { timeoutMs: 5000 })
        : new TcpUpstream(`127.0.0.1:${port}`, { timeoutMs: 5000 });
    await rejectsWith(upstream.exchange(query('refused.test')), 'network');
  });

  test(`${transport}: abort while waiting rejects with 'aborted'; an aborted signal sends nothing`, async () => {
    const name = fresh('abort');
    up.script(name, 'A', drop());
    const controller = new AbortController();
    const pending = make({ timeoutMs: 5000 }).exchange(query(name), controller.signal);
    await up.nextQuery((r) => r.name === name);
    controller.abort();
    await rejectsWith(pending, 'aborted');

    const before = up.count(name);
    await rejectsWith(make().exchange(query(name), AbortSignal.abort()), 'aborted');
    assert.equal(up.count(name), before, 'nothing sent on an aborted signal');
  });
}

test('an upstream query without exactly one question is a TypeError (a caller bug), not an UpstreamError', async () => {
  const none = dnsPacket.encode({ type: 'query', id: 1, questions: [] });
  for (const [, make] of transports) await assert.rejects(make().exchange(none), TypeError);
});

// --- UDP: truncation, spoofing, randomness ----------------------------------------------------

test('udp: a truncated reply is retried over TCP and the TCP answer returned', async () => {
  const name = fresh('tc');
  up.script(name, 'A', { ...answer(aRecords(name, 40)), truncate: true });
  const upstream = new UdpUpstream(up.address);
  const reply = await upstream.exchange(query(name));
  assert.equal(addresses(reply).length, 40);
  assert.equal(dnsPacket.decode(Buffer.from(reply)).flag_tc, false);
  assert.deepEqual(
    up.log.filter((q) => q.name === name).map((q) => q.transport),
    ['udp', 'tcp'],
  );
  assert.equal(upstream.tcpRetries, 1);
});

test("udp: truncated, and the TCP retry times out: 'truncated', with the TCP error as cause", async () => {
  const name = fresh('tc-dead');
  up.script(name, 'A', (q) =>
    q.transport === 'udp' ? { ...answer(aRecords(name, 3)), truncate: true } : drop(),
  );
  const error = await rejectsWith(
    new UdpUpstream(up.address, SHORT).exchange(query(name)),
    'truncated',
  );
  assert.equal((error.cause as UpstreamError).reason, 'timeout');
});

test("udp: abort during the TCP retry is 'aborted', not 'truncated'", async () => {
  const name = fresh('tc-abort');
  up.script(name, 'A', (q) => (q.transport === 'udp' ? { ...answer([]), truncate: true } : drop()));
  const controller = new AbortController();
  const pending = new UdpUpstream(up.address, { timeoutMs: 5000 }).exchange(
    query(name),
    controller.signal,
  );
  await up.nextQuery((q) => q.name === name && q.transport === 'tcp');
  controller.abort();
  await rejectsWith(pending, 'aborted');
});

const spoofCases: {
  spoof: 'wrong-id' | 'wrong-question' | 'wrong-source';
  connect: boolean;
  counted: number;
}[] = [
  { spoof: 'wrong-id', connect: true, counted: 1 },
  { spoof: 'wrong-question', connect: true, counted: 1 },
  // A connected socket: the kernel drops the other source before we see it (nothing to count).
  { spoof: 'wrong-source', connect: true, counted: 0 },
  // Unconnected: our own source check is what drops it.
  { spoof: 'wrong-source', connect: false, counted: 1 },
  { spoof: 'wrong-id', connect: false, counted: 1 },
];

for (const c of spoofCases) {
  const how = `${c.spoof}${c.connect ? '' : ', unconnected socket'}`;
  test(`udp: a spoofed reply (${how}) is ignored and the right reply that follows accepted`, async () => {
    const name = fresh('spoof');
    up.script(name, 'A', { ...answer([a(name, '192.0.2.10')]), spoof: [c.spoof] });
    const upstream = new UdpUpstream(up.address, { connect: c.connect, timeoutMs: 5000 });
    const spoofsBefore = up.spoofsSent;
    const reply = await upstream.exchange(query(name));
    assert.deepEqual(addresses(reply), ['192.0.2.10']);
    assert.equal(up.spoofsSent, spoofsBefore + 1, 'the spoof was sent');
    assert.equal(upstream.spoofedIgnored, c.counted);
  });

  test(`udp: only spoofed replies (${how}): the exchange times out, the poison never returned`, async () => {
    const name = fresh('spoof-only');
    up.script(name, 'A', { drop: true, spoof: [c.spoof, c.spoof] });
    const upstream = new UdpUpstream(up.address, { connect: c.connect, ...SHORT });
    const spoofsBefore = up.spoofsSent;
    await rejectsWith(upstream.exchange(query(name)), 'timeout');
    assert.equal(up.spoofsSent, spoofsBefore + 2);
    assert.equal(upstream.spoofedIgnored, 2 * c.counted);
  });
}

test('udp: every spoof kind at once before the real reply; the poison address is never returned', async () => {
  const name = fresh('spoof-all');
  up.script(name, 'A', {
    ...answer([a(name, '192.0.2.11')]),
    spoof: ['wrong-id', 'wrong-question', 'wrong-source'],
  });
  const upstream = new UdpUpstream(up.address, { connect: false });
  const reply = await upstream.exchange(query(name));
  assert.deepEqual(addresses(reply), ['192.0.2.11']);
  assert.ok(!addresses(reply).includes(POISON));
  assert.equal(upstream.spoofedIgnored, 3);
});

test('udp: a reply from the right port on another address of the host is ignored (unconnected socket)', async (t) => {
  // 127.0.0.2 is loopback on Linux (127/8), not on every OS: skip where it cannot be bound.
  const other = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    other.once('error', () => resolve(false));
    other.bind(up.port, '127.0.0.2', () => resolve(true));
  });
  if (!bound) {
    other.close();
    return t.skip('cannot bind 127.0.0.2 here');
  }
  try {
    const name = fresh('other-addr');
    // 127.0.0.2 (the upstream's port) answers first with the poison; the real reply waits for it.
    let poisonSent!: () => void;
    up.script(name, 'A', {
      ...answer([a(name, '192.0.2.12')]),
      until: new Promise<void>((resolve) => (poisonSent = resolve)),
    });
    const upstream = new UdpUpstream(up.address, { connect: false, timeoutMs: 5000 });
    const pending = upstream.exchange(query(name));
    const received = await up.nextQuery((q) => q.name === name);
    const forged = dnsPacket.decode(received.raw);
    const poison = dnsPacket.encode({
      type: 'response',
      id: forged.id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: forged.questions,
      answers: [a(name, POISON)],
    });
    await new Promise<void>((resolve) =>
      other.send(poison, received.port, '127.0.0.1', () => resolve()),
    );
    poisonSent();
    assert.deepEqual(addresses(await pending), ['192.0.2.12']);
    assert.equal(upstream.spoofedIgnored, 1);
  } finally {
    other.close();
  }
});

test('udp: exactCase (0x20) rejects a reply that does not echo the case; the default accepts it', async () => {
  const name = fresh('CaSe');
  // The server lowercases the question in its reply.
  up.script(name, 'A', (q) => {
    const packet = dnsPacket.decode(q.raw);
    return {
      raw: dnsPacket.encode({
        type: 'response',
        id: packet.id,
        flags: 0,
        questions: [{ name: name.toLowerCase(), type: 'A', class: 'IN' }],
        answers: [a(name, '192.0.2.13')],
      }),
    };
  });
  assert.deepEqual(addresses(await new UdpUpstream(up.address).exchange(query(name))), [
    '192.0.2.13',
  ]);
  const strict = new UdpUpstream(up.address, { exactCase: true, ...SHORT });
  await rejectsWith(strict.exchange(query(name)), 'timeout');
  assert.equal(strict.spoofedIgnored, 1);
});

test('udp: each exchange comes from a new source port, and randomId() IDs reach the wire', async () => {
  const name = fresh('ports');
  up.script(name, 'A', answer([a(name, '192.0.2.14')]));
  const upstream = new UdpUpstream(up.address);
  const ids: number[] = [];
  for (let i = 0; i < 8; i++) {
    const q = query(name);
    ids.push(q.readUInt16BE(0));
    await upstream.exchange(q);
  }
  const seen = up.log.filter((q) => q.name === name);
  assert.deepEqual(
    seen.map((q) => q.id),
    ids,
  );
  const ports = seen.map((q) => q.port);
  for (let i = 1; i < ports.length; i++)
    assert.notEqual(ports[i], ports[i - 1], `ports ${ports.join(', ')}`);
});

test('randomId: 16-bit, spread out, not a sequence', () => {
  const ids = Array.from({ length: 1000 }, randomId);
  assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id <= 0xffff));
  // 1,000 draws from 65,536 repeat about 7.6 times on average; 30 would be a broken source.
  assert.ok(new Set(ids).size > 970, `${new Set(ids).size} distinct`);
  const rising = ids.filter((id, i) => i > 0 && id === ((ids[i - 1]! + 1) & 0xffff)).length;
  assert.ok(rising < 10, `${rising} consecutive IDs`);
  assert.ok(
    ids.some((id) => id > 0x8000) && ids.some((id) => id < 0x8000),
    'both halves of the range',
  );
});

// --- TCP ------------------------------------------------------------------------------------------

test('tcp: a reply written in 3-byte pieces is reassembled', async () => {
  const name = fresh('chunks');
  up.script(name, 'A', { ...answer(aRecords(name, 20)), tcpChunkBytes: 3 });
  assert.equal(addresses(await new TcpUpstream(up.address).exchange(query(name))).length, 20);
});

const tcpFaults: {
  name: string;
  behaviour: Behaviour;
  reason: UpstreamError['reason'];
  message: RegExp;
}[] = [
  {
    name: 'closed mid-reply',
    behaviour: { ...answer(aRecords('x', 20)), tcpCloseAfterBytes: 40 },
    reason: 'network',
    message: /after 38 of \d+ reply bytes/,
  },
  {
    name: 'closed inside the length prefix',
    behaviour: { ...answer([]), tcpCloseAfterBytes: 1 },
    reason: 'network',
    message: /before a reply/,
  },
  {
    name: 'closed without a byte',
    behaviour: { ...answer([]), tcpCloseAfterBytes: 0 },
    reason: 'network',
    message: /before a reply/,
  },
  {
    name: 'a frame shorter than a header',
    behaviour: { raw: Buffer.from([0, 5, 1, 2, 3, 4, 5]) },
    reason: 'malformed',
    message: /shorter than a DNS header/,
  },
  {
    name: 'a whole frame of garbage',
    behaviour: { raw: Buffer.concat([u16(20), Buffer.alloc(20, 0xff)]) },
    reason: 'malformed',
    message: /does not match/,
  },
];

for (const c of tcpFaults) {
  test(`tcp: ${c.name} -> ${c.reason}`, async () => {
    const name = fresh('tcp-fault');
    up.script(name, 'A', c.behaviour);
    const error = await rejectsWith(
      new TcpUpstream(up.address, { timeoutMs: 5000 }).exchange(query(name)),
      c.reason,
    );
    assert.match(error.message, c.message);
  });
}

test('tcp: a reply with another ID is malformed (one query per connection: nothing else may come)', async () => {
  const name = fresh('tcp-id');
  up.script(name, 'A', (q) => {
    const reply = encodeAs(q.raw, name, answer([a(name, POISON)]));
    reply.writeUInt16BE(q.id ^ 0x5555, 0);
    return { raw: Buffer.concat([u16(reply.length), reply]) };
  });
  const error = await rejectsWith(new TcpUpstream(up.address).exchange(query(name)), 'malformed');
  assert.match(error.message, /\(id\)/);
});

// --- IPv6 ---------------------------------------------------------------------------------------

test('::1: UDP (with the TCP retry) and TCP', async (t) => {
  const six = await startScriptedUpstream({ host: '::1' }).catch((e: Error) => e);
  if (six instanceof Error) return t.skip(`no IPv6 loopback here: ${six.message}`);
  try {
    const name = fresh('six');
    six.script(name, 'A', { ...answer(aRecords(name, 5)), truncate: true });
    assert.match(six.address, /^\[::1\]:\d+$/);
    const udp = new UdpUpstream(six.address);
    assert.equal(udp.name, `udp://${six.address}`);
    assert.equal(addresses(await udp.exchange(query(name))).length, 5);
    assert.equal(addresses(await new TcpUpstream(six.address).exchange(query(name))).length, 5);
    assert.deepEqual(
      six.log.map((q) => q.transport),
      ['udp', 'tcp', 'tcp'],
    );
  } finally {
    await six.close();
  }
});

test('addresses: IPv4 and [IPv6] with ports, port 53 by default, host names and bad ports refused', () => {
  assert.equal(new UdpUpstream('127.0.0.1').name, 'udp://127.0.0.1:53');
  assert.equal(new UdpUpstream('[0:0:0:0:0:0:0:1]:5353').name, 'udp://[::1]:5353');
  assert.equal(new TcpUpstream('::1').name, 'tcp://[::1]:53');
  for (const bad of [
    'dns.example:53',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '[::1:53',
    '127.0.0.1:x',
  ]) {
    assert.throws(() => new UdpUpstream(bad), RangeError, bad);
  }
});

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
