// A scripted upstream resolver for tests: UDP and TCP on one loopback port, answering each
// question the way the test says, and logging every query it receives.
//
//   const up = await startScriptedUpstream();            // 127.0.0.1, ephemeral port
//   up.script('example.com', 'A', answer(a('example.com', '192.0.2.1')));
//   up.script('slow.test', '*', { ...answer([]), delayMs: 300 });
//   up.script('gone.test', 'A', nxdomain('test', 60));   // NXDOMAIN with the SOA (minimum 60)
//   up.script('big.test', 'A', { ...answer(records), truncate: true }); // UDP: TC, no records; TCP: whole
//   up.script('evil.test', 'A', { ...answer(rs), spoof: ['wrong-id', 'wrong-source'] }); // spoofs first
//   up.script('dead.test', 'A', { drop: true, spoof: ['wrong-question'] });             // spoofs only
//   up.script('x.test', 'A', (q) => (q.n === 1 ? servfail() : answer(rs)));             // by attempt
//   new UdpUpstream(up.address); up.count('example.com', 'A'); await up.nextQuery(); await up.close();
//
// Behaviours: answer (records and rcode), drop, raw bytes, delayMs, until (a promise the real
// reply waits for), truncate, spoof (UDP only, each carrying the poison address 203.0.113.66:
// 'wrong-id', 'wrong-question', and 'wrong-source', our ID and question sent from another socket
// on the same host), tcpChunkBytes (the framed reply written
// in pieces, one write per event-loop turn with TCP_NODELAY) and tcpCloseAfterBytes (closes
// mid-reply). Unscripted questions get REFUSED. Names match case-insensitively; the reply echoes
// the question exactly as asked. Only loopback: pass host '::1' for IPv6.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { FrameReader, frame } from '../../functions/dns53/tcp-framing.ts';

export const POISON = '203.0.113.66';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
type Spoof = 'wrong-id' | 'wrong-question' | 'wrong-source';

export interface Behaviour {
  rcode?: Rcode;
  answers?: Answer[];
  authorities?: Answer[];
  additionals?: Answer[];
  /** Never send the real reply (spoofs still go out). */
  drop?: boolean;
  /** Send these bytes instead of a reply (over TCP: written as they are, no length prefix added). */
  raw?: Uint8Array;
  /** Wait this long before the real reply. */
  delayMs?: number;
  /** Hold the real reply until this settles (then delayMs): lets a test order events exactly. */
  until?: Promise<unknown>;
  /** UDP: the reply with TC set and no records. TCP: the whole reply. */
  truncate?: boolean;
  /** UDP only: replies sent, in order, before the real one. */
  spoof?: Spoof[];
  tcpChunkBytes?: number;
  tcpCloseAfterBytes?: number;
}

interface ReceivedQuery {
  transport: 'udp' | 'tcp';
  /** As asked (case kept), without the trailing dot. */
  name: string;
  type: string;
  id: number;
  /** The client's source port. */
  port: number;
  /** The bytes received, exactly. */
  raw: Buffer;
  /** 1 for the first query for this name and type (any transport), 2 for the next... */
  n: number;
}

type Script = Behaviour | ((query: ReceivedQuery) => Behaviour);

export interface ScriptedUpstream {
  host: string;
  port: number;
  /** `127.0.0.1:port` or `[::1]:port`, for UdpUpstream / TcpUpstream. */
  address: string;
  readonly log: ReceivedQuery[];
  /** Spoofed replies actually sent, so a test can tell a spoof ignored from a spoof never sent. */
  readonly spoofsSent: number;
  /** Scripts a question; type '*' takes any type. A later script for the same key replaces it. */
  script(name: string, type: RecordType | '*', behaviour: Script): void;
  /** Queries logged, filtered by name (case-insensitive), type and transport. */
  count(name?: string, type?: string, transport?: 'udp' | 'tcp'): number;
  /** The first logged query (past or future) that `pick` accepts. */
  nextQuery(pick?: (q: ReceivedQuery) => boolean): Promise<ReceivedQuery>;
  close(): Promise<void>;
}

// Builders for the common behaviours.
export const answer = (answers: Answer[], rcode: Rcode = 'NOERROR'): Behaviour => ({
  rcode,
  answers,
});
export const servfail = (): Behaviour => ({ rcode: 'SERVFAIL' });
export const drop = (): Behaviour => ({ drop: true });
export const a = (name: string, address: string, ttl = 300): Answer => ({
  type: 'A',
  name,
  ttl,
  class: 'IN',
  data: address,
});
export const aaaa = (name: string, address: string, ttl = 300): Answer => ({
  type: 'AAAA',
  name,
  ttl,
  class: 'IN',
  data: address,
});
export function soa(zone: string, minimum: number, ttl = minimum): Answer {
  return {
    type: 'SOA',
    name: zone,
    ttl,
    class: 'IN',
    data: {
      mname: `ns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum,
    },
  };
}
/** NXDOMAIN with the zone's SOA in the authority section (RFC 2308 §3). */
export const nxdomain = (zone: string, minimum: number): Behaviour => ({
  rcode: 'NXDOMAIN',
  authorities: [soa(zone, minimum)],
});

const RCODES: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};
const REFUSED: Behaviour = { rcode: 'REFUSED' };
const GUARD_MS = 5000;

const keyOf = (name: string, type: string): string =>
  `${name.toLowerCase().replace(/\.$/, '')} ${type}`;

/** The reply to `query` as `b` says; the question is echoed as asked, opcode and RD copied. */
function encodeReply(
  query: DecodedPacket,
  b: Behaviour,
  truncated: boolean,
  over: { id?: number; name?: string } = {},
): Buffer {
  const questions = (query.questions ?? []).map((q) => ({ ...q, name: over.name ?? q.name }));
  const copied = (query.flags ?? 0) & (0x7800 | dnsPacket.RECURSION_DESIRED); // opcode, RD
  const flags =
    copied |
    dnsPacket.RECURSION_AVAILABLE |
    (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
    RCODES[b.rcode ?? 'NOERROR'];
  return dnsPacket.encode({
    type: 'response',
    id: over.id ?? query.id ?? 0,
    flags,
    questions,
    answers: truncated ? [] : (b.answers ?? []),
    authorities: truncated ? [] : (b.authorities ?? []),
    additionals: truncated ? [] : (b.additionals ?? []),
  });
}

/** A reply carrying the poison address: right in all but the ID, the question, or (sent from the spoofer socket) the source. */
function spoofReply(query: DecodedPacket, kind: Spoof): Buffer {
  const name = query.questions?.[0]?.name ?? 'spoof';
  const poison: Behaviour = { answers: [a(name, POISON, 86400)] };
  if (kind === 'wrong-id')
    return encodeReply(query, poison, false, { id: ((query.id ?? 0) + 1) & 0xffff });
  if (kind === 'wrong-question')
    return encodeReply(query, { answers: [a(`spoofed.${name}`, POISON, 86400)] }, false, {
      name: `spoofed.${name}`,
    });
  return encodeReply(query, poison, false);
}

export async function startScriptedUpstream(
  // `port` (default: a free one) and hosts other than these two only inside a network namespace
  // the test made (test/node-local.test.ts).
  options: { host?: '127.0.0.1' | '::1' | (string & {}); port?: number } = {},
): Promise<ScriptedUpstream> {
  const host = options.host ?? '127.0.0.1';
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const scripts = new Map<string, Script>();
  const log: ReceivedQuery[] = [];
  const attempts = new Map<string, number>();
  const waiters: { pick: (q: ReceivedQuery) => boolean; resolve: (q: ReceivedQuery) => void }[] =
    [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const connections = new Set<Socket>();
  let spoofsSent = 0;
  let closed = false;

  // UDP and TCP on the same port: bind UDP to an ephemeral port, then listen on it over TCP.
  const { udp, tcp, port } = await bindBoth(host, family, connections, options.port ?? 0);
  const spoofer = createSocket(family);
  await new Promise<void>((resolve) => spoofer.bind(0, host, resolve));

  /** Logs the query and picks its behaviour; undefined when it does not decode. */
  function receive(
    raw: Buffer,
    transport: 'udp' | 'tcp',
    clientPort: number,
  ): { query: DecodedPacket; b: Behaviour } | undefined {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return undefined;
    }
    const q = query.questions?.[0];
    if (!q) return undefined;
    const key = keyOf(q.name, q.type);
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    const entry: ReceivedQuery = {
      transport,
      name: q.name,
      type: q.type,
      id: query.id ?? 0,
      port: clientPort,
      raw: Buffer.from(raw),
      n,
    };
    log.push(entry);
    for (const w of [...waiters]) {
      if (!w.pick(entry)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(entry);
    }
    const script = scripts.get(key) ?? scripts.get(keyOf(q.name, '*')) ?? REFUSED;
    return { query, b: typeof script === 'function' ? script(entry) : script };
  }

  const later = (b: Behaviour, run: () => void): void => {
    const wait = (): void => {
      if (closed) return;
      if (!b.delayMs) return run();
      const timer = setTimeout(() => (timers.delete(timer), run()), b.delayMs);
      timers.add(timer);
    };
    if (b.until) void b.until.then(wait, wait);
    else wait();
  };

  udp.on('message', async (raw: Buffer, from: RemoteInfo) => {
    const got = receive(raw, 'udp', from.port);
    if (!got) return;
    const { query, b } = got;
    // Each send resolves once the kernel has the datagram (on loopback: once it is queued at the
    // client), so spoofs are queued at the client before the real reply is sent.
    const sendTo = (socket: UdpSocket, bytes: Uint8Array) =>
      new Promise<void>((resolve) =>
        closed ? resolve() : socket.send(bytes, from.port, from.address, () => resolve()),
      );
    for (const kind of b.spoof ?? []) {
      await sendTo(kind === 'wrong-source' ? spoofer : udp, spoofReply(query, kind));
      spoofsSent++;
    }
    if (b.drop) return;
    later(b, () => void sendTo(udp, b.raw ?? encodeReply(query, b, b.truncate ?? false)));
  });

  tcp.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const raw of reader.push(chunk)) {
        const got = receive(raw, 'tcp', socket.remotePort ?? 0);
        if (!got || got.b.drop) continue;
        const { query, b } = got;
        later(
          b,
          () =>
            void writeTcp(
              socket,
              b.raw ? Buffer.from(b.raw) : frame(encodeReply(query, b, false)),
              b,
            ),
        );
      }
    });
  });

  return {
    host,
    port,
    address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    log,
    get spoofsSent() {
      return spoofsSent;
    },
    script: (name, type, behaviour) => void scripts.set(keyOf(name, type), behaviour),
    count: (name, type, transport) =>
      log.filter(
        (q) =>
          (name === undefined || q.name.toLowerCase() === name.toLowerCase()) &&
          (type === undefined || q.type === type) &&
          (transport === undefined || q.transport === transport),
      ).length,
    nextQuery(pick = () => true) {
      const seen = log.find(pick);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the scripted upstream got no such query within ${GUARD_MS} ms`)),
          GUARD_MS,
        );
        waiters.push({ pick, resolve: (q) => (clearTimeout(timer), resolve(q)) });
      });
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => spoofer.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

/** Writes `bytes` whole, in chunks, or cut short and closed, as `b` says. */
async function writeTcp(socket: Socket, bytes: Buffer, b: Behaviour): Promise<void> {
  if (socket.destroyed) return;
  const cut = b.tcpCloseAfterBytes;
  const body = cut === undefined ? bytes : bytes.subarray(0, cut);
  const step = b.tcpChunkBytes ?? body.length;
  for (let at = 0; at < body.length; at += step) {
    if (socket.destroyed) return;
    await new Promise<void>((resolve) =>
      socket.write(body.subarray(at, at + step), () => resolve()),
    );
    if (step < body.length) await new Promise((resolve) => setImmediate(resolve));
  }
  if (cut !== undefined) socket.destroy();
}

async function bindBoth(
  host: string,
  family: 'udp4' | 'udp6',
  connections: Set<Socket>,
  wanted: number,
): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket(family);
    await new Promise<void>((resolve) => udp.bind(wanted, host, resolve));
    const port = udp.address().port;
    const tcp = createServer((socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    try {
      tcp.listen(port, host);
      await once(tcp, 'listening');
      return { udp, tcp, port };
    } catch (error) {
      udp.close();
      if (attempt >= 10) throw error;
    }
  }
}
