// Sockets that let a test misbehave on purpose: a UDP peer that sends anything and waits for a
// datagram it picks out, and a TCP connection that writes raw bytes and reports, as events, every
// framed reply and its own close. Waits end on events; their timeouts only guard a hung server.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { once } from 'node:events';
import dnsPacket from 'dns-packet';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Addr } from './dns-client.ts';
import { startContainer, type Container } from './container.ts';
import { frame, makeQuery, rcodeOf } from './dns-client.ts';

const GUARD_MS = 5000;

type Waiter<T> = { pick: (x: T) => boolean; resolve: (x: T) => void };

/** One UDP socket; `next(pick)` resolves with the first datagram (past or future) that `pick` accepts. */
export class UdpPeer {
  readonly received: Buffer[] = [];
  #socket: UdpSocket;
  #waiters: Waiter<Buffer>[] = [];

  constructor(readonly addr: Addr) {
    this.#socket = createSocket(isIPv6(addr.host) ? 'udp6' : 'udp4');
    this.#socket.on('message', (msg) => {
      this.received.push(msg);
      this.#waiters = this.#waiters.filter((w) => !(w.pick(msg) && (w.resolve(msg), true)));
    });
  }

  send(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#socket.send(bytes, this.addr.port, this.addr.host, (e) => (e ? reject(e) : resolve())),
    );
  }

  next(pick: (msg: Buffer) => boolean, what: string): Promise<Buffer> {
    const seen = this.received.find(pick);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no UDP datagram (${what}) within ${GUARD_MS} ms`)),
        GUARD_MS,
      );
      this.#waiters.push({ pick, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/** A TCP connection that collects framed replies (RFC 1035 §4.2.2) and notices its close. */
export class RawTcp {
  readonly replies: Buffer[] = [];
  bytesReceived = 0;
  closed = false;
  /** Resolves when the connection is closed, by either side. */
  readonly whenClosed: Promise<void>;
  #pending = Buffer.alloc(0);
  #waiters: Waiter<Buffer>[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('error', () => {}); // resets are expected here; 'close' follows
    // Not events.once: it rejects on 'error', and a reset is an expected way to be closed here.
    this.whenClosed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.#pending = Buffer.concat([this.#pending, chunk]);
      while (
        this.#pending.length >= 2 &&
        this.#pending.length >= 2 + this.#pending.readUInt16BE(0)
      ) {
        const reply = this.#pending.subarray(2, 2 + this.#pending.readUInt16BE(0));
        this.#pending = this.#pending.subarray(2 + reply.length);
        this.replies.push(reply);
        this.#waiters = this.#waiters.filter((w) => !(w.pick(reply) && (w.resolve(reply), true)));
      }
    });
  }

  static async open(addr: Addr, opts: { allowHalfOpen?: boolean } = {}): Promise<RawTcp> {
    const socket = connect({
      host: addr.host,
      port: addr.port,
      allowHalfOpen: opts.allowHalfOpen ?? false,
    });
    const conn = new RawTcp(socket);
    await Promise.race([once(socket, 'connect'), conn.whenClosed]);
    return conn;
  }

  /** Writes raw bytes; resolves once they are handed to the kernel. */
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** The first reply `pick` accepts, or undefined if the connection closes first. */
  next(pick: (reply: Buffer) => boolean = () => true): Promise<Buffer | undefined> {
    const seen = this.replies.find(pick);
    if (seen) return Promise.resolve(seen);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no TCP reply within ${GUARD_MS} ms`)),
        GUARD_MS,
      );
      const done = (r: Buffer | undefined) => (clearTimeout(timer), resolve(r));
      this.#waiters.push({ pick, resolve: done });
      void this.whenClosed.then(() => done(undefined));
    });
  }

  /** Waits for the close (the server's doing, in these tests), with a guard against a hang. */
  async closedByServer(guardMs = GUARD_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`server did not close the connection within ${guardMs} ms`)),
        guardMs,
      );
    });
    try {
      await Promise.race([this.whenClosed, guard]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closes with a reset: no TIME_WAIT left behind, so thousands of fuzzing connections do not
   * use up the loopback ports other tests bind (and the server meets resets too).
   */
  destroy(): void {
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }
}

/** One query on a fresh connection, closed with a reset: the reply, or undefined on a close. */
export async function tcpOnce(addr: Addr, query: Buffer): Promise<Buffer | undefined> {
  const conn = await RawTcp.open(addr);
  try {
    await conn.write(frame(query));
    return await conn.next();
  } finally {
    conn.destroy();
  }
}

export const idOf = (msg: Buffer): number | undefined =>
  msg.length >= 2 ? msg.readUInt16BE(0) : undefined;

/** The liveness probe: kubernetes.default.svc.cluster.local A, with the given ID. */
export function probe(id: number): Buffer {
  return dnsPacket.encode(makeQuery('kubernetes.default.svc.cluster.local', 'A', { id }));
}

/** Throws unless `reply` answers the probe: NOERROR with 10.96.0.1. */
export function assertProbeAnswer(reply: Buffer | undefined, id: number): void {
  if (!reply) throw new Error('no answer to the liveness probe');
  const packet = dnsPacket.decode(reply);
  const a = (packet.answers ?? []).flatMap((rr) => (rr.type === 'A' ? [rr.data] : []));
  if (packet.id !== id || rcodeOf(packet) !== 'NOERROR' || !a.includes('10.96.0.1')) {
    throw new Error(
      `bad probe answer: id ${packet.id} (want ${id}), ${rcodeOf(packet)}, A ${a.join(',')}`,
    );
  }
}

/** Asserts the server process is still running and has logged no crash. */
export function assertAlive(pid: number, stderr: string): void {
  process.kill(pid, 0); // throws ESRCH when the process is gone
  if (/uncaught|unhandled|^\s+at /im.test(stderr))
    throw new Error(`server stderr shows a crash:\n${stderr}`);
}

/**
 * Starts the container before a test file's tests and, after them, checks it never crashed and
 * stops cleanly on SIGTERM. Returns the running container.
 */
export function containerForSuite(args: string[]): () => Container {
  let server: Container | undefined;
  before(async () => {
    server = await startContainer(args);
  });
  after(async () => {
    if (!server) return; // it did not start: before() has failed already
    assertAlive(server.pid, server.stderr());
    assert.equal(await server.stop(), 0, 'the server was still running and stopped cleanly');
  });
  return () => {
    if (!server) throw new Error('the container has not started');
    return server;
  };
}
