// One DNS-over-TLS connection to an upstream (RFC 7858), kept open and shared: queries are sent as
// they come, each with its 2-byte length (RFC 7858 §3.3, RFC 1035 §4.2.2), and replies taken in
// any order, matched by ID and question (RFC 7766 §6.2.1.1, §7). The certificate is verified
// against the CA given (else the system's) and the server name (else the IP address), by
// node:tls; a failed handshake fails every exchange waiting on it. Closed after `idleMs` with
// nothing in flight (RFC 7858 §3.4: reuse, and close idle connections).
import { connect, type TLSSocket } from 'node:tls';
import { FrameReader, frame } from '../dns53/tcp-framing.ts';
import { replyMismatch, type MatchOptions, type QueryShape } from './reply-check.ts';
import { randomId, UpstreamError } from './upstream.ts';

/** Where and whom to connect to: the certificate's name and trust, a client certificate. */
export interface DotTarget {
  host: string;
  port: number;
  /** The name the certificate must hold, sent as SNI (RFC 6066 §3). Absent: the IP address. */
  serverName?: string;
  /** PEM: trusted CAs instead of the system's; a client certificate and key. */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** Told once: the reply (the caller's ID restored), or why there is none. */
export type Settle = (error: UpstreamError | undefined, reply?: Uint8Array) => void;

interface Waiting {
  shape: QueryShape;
  callerId: number;
  settle: Settle;
}

export class DotConnection {
  /** Exchanges sent on it so far (over one: the connection was reused). */
  sent = 0;
  /** When bytes last arrived (performance.now()), or when it opened. */
  lastDataAt = performance.now();
  readonly #socket: TLSSocket;
  readonly #waiting = new Map<number, Waiting>();
  readonly #reader = new FrameReader();
  readonly #name: string;
  readonly #idleMs: number;
  readonly #match: MatchOptions;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** The transport's error (a handshake that failed: a bad certificate or name). */
  #error: Error | undefined;

  constructor(target: DotTarget, o: { name: string; idleMs: number; match: MatchOptions }) {
    this.#name = o.name;
    this.#idleMs = o.idleMs;
    this.#match = o.match;
    this.#socket = connect({
      host: target.host,
      port: target.port,
      ...(target.serverName !== undefined && { servername: target.serverName }),
      ...(target.ca !== undefined && { ca: target.ca }),
      ...(target.cert !== undefined && { cert: target.cert, key: target.key }),
      ALPNProtocols: ['dot'], // RFC 7858 §3.2
    });
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', (error) => (this.#error ??= error));
    this.#socket.on('close', () => this.#gone());
  }

  /** Closed, or closing: take a new one. */
  get closed(): boolean {
    return this.#closed || this.#socket.destroyed || !this.#socket.writable;
  }

  /** Whether the connection failed on its own (not merely closed by the server). */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Sends `query` (one question, `shape`); `settle` gets the reply. Returns a cancel. */
  send(query: Uint8Array, shape: QueryShape, settle: Settle): () => void {
    clearTimeout(this.#idle);
    // IDs must be unique among the queries in flight on one connection (RFC 7766 §7): a
    // colliding ID goes out as another, and the reply gets the caller's back.
    let id = shape.id;
    while (this.#waiting.has(id)) id = randomId();
    let wire = query;
    if (id !== shape.id) {
      wire = Uint8Array.from(query);
      wire[0] = id >> 8;
      wire[1] = id & 0xff;
    }
    this.#waiting.set(id, { shape: { ...shape, id }, callerId: shape.id, settle });
    this.sent++;
    this.#socket.write(frame(wire));
    return () => {
      if (this.#waiting.get(id)?.settle === settle) this.#waiting.delete(id);
      this.#idleLater();
    };
  }

  /** Closes at once; exchanges waiting fail. */
  destroy(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    this.lastDataAt = performance.now();
    for (const reply of this.#reader.push(chunk)) {
      if (reply.length < 12) continue; // not a DNS message (RFC 1035 §4.1.1)
      const id = reply.readUInt16BE(0);
      const w = this.#waiting.get(id);
      if (!w) continue; // a reply to a query given up on: its deadline passed
      this.#waiting.delete(id);
      const mismatch = replyMismatch(w.shape, reply, this.#match);
      if (mismatch)
        w.settle(this.#fail('malformed', `reply does not match the query (${mismatch})`));
      else {
        const out = Uint8Array.from(reply);
        out[0] = w.callerId >> 8;
        out[1] = w.callerId & 0xff;
        w.settle(undefined, out);
      }
    }
    this.#idleLater();
  }

  #idleLater(): void {
    if (this.#waiting.size > 0 || this.closed) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#socket.end(), this.#idleMs);
    this.#idle.unref?.();
  }

  #gone(): void {
    this.#closed = true;
    clearTimeout(this.#idle);
    const why = this.#error ? `TLS: ${this.#error.message}` : 'connection closed before a reply';
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) w.settle(this.#fail('network', why, this.#error));
  }

  #fail(reason: UpstreamError['reason'], message: string, cause?: unknown): UpstreamError {
    return new UpstreamError(this.#name, reason, `${this.#name}: ${message}`, { cause });
  }
}
