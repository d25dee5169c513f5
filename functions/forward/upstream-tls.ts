// DNS over TLS to an upstream resolver (RFC 7858), CoreDNS's `forward . tls://IP`: one connection
// kept open and pipelined (dot-connection.ts), opened again when the upstream or the idle timer
// closes it. Each exchange has one deadline for all of it (connect, handshake, reply). A query
// sent on a reused connection that the server closed before answering is sent once more on a
// fresh one within that deadline (RFC 7766 §6.2.1: servers may close idle connections at any
// time). A certificate that does not verify, or holds another name, fails the exchange: the pool
// counts the upstream failed.
import { queryShape, type MatchOptions, type QueryShape } from './reply-check.ts';
import { exchangeEnd } from './exchange-end.ts';
import { DotConnection, type DotTarget } from './dot-connection.ts';
import { DEFAULT_TIMEOUT_MS, ipHostPort } from './upstream-tcp.ts';
import { formatHostPort, UpstreamError, type HostPort, type Upstream } from './upstream.ts';

export interface TlsUpstreamOptions extends MatchOptions, Omit<DotTarget, 'host' | 'port'> {
  /** Time for the whole exchange, in ms. Default 2000 (CoreDNS forward's read timeout). */
  timeoutMs?: number;
  /** An idle connection is closed after this, in ms. Default 5000 (below CoreDNS's and
   *  edge-dns's 10 s server idle timeout, so that we close first). */
  idleMs?: number;
}

export const DEFAULT_IDLE_MS = 5000;
/** RFC 7858 §3.1. */
const DOT_PORT = 853;

export class TlsUpstream implements Upstream {
  readonly name: string;
  readonly address: HostPort;
  readonly #target: DotTarget;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #match: MatchOptions;
  #connection: DotConnection | undefined;

  /** `address`: `ip:port` or `[ipv6]:port` (port 853 when left out). */
  constructor(address: string, options: TlsUpstreamOptions = {}) {
    const { host, port } = ipHostPort(address, DOT_PORT);
    this.address = { host, port };
    const { timeoutMs, idleMs, exactCase, ...tls } = options;
    this.name = `tls://${formatHostPort(this.address)}`;
    this.#target = { ...this.address, ...tls };
    this.#timeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#idleMs = idleMs ?? DEFAULT_IDLE_MS;
    this.#match = { exactCase };
  }

  exchange(query: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    let shape: QueryShape;
    try {
      shape = queryShape(query); // a TypeError for a query without one question: our bug
      if (query.length > 0xffff)
        throw new TypeError('a DNS message over TLS is at most 65535 bytes (RFC 7858 §3.3)');
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(this.#error('aborted', 'aborted before sending'));

    return new Promise((resolve, reject) => {
      let cancel = (): void => {};
      let on: DotConnection | undefined;
      let sentAt = 0;
      const { finish } = exchangeEnd<Uint8Array>({
        timeoutMs: this.#timeoutMs,
        signal,
        timedOut: () => {
          // Nothing has arrived since we sent: the connection is stalled, not merely slow with
          // this one answer. Later exchanges get a fresh one.
          if (on && on.lastDataAt < sentAt) on.destroy();
          return this.#error('timeout', `no reply within ${this.#timeoutMs} ms`);
        },
        aborted: () => this.#error('aborted', 'aborted'),
        release: () => cancel(),
        resolve,
        reject,
      });
      const attempt = (again: boolean): void => {
        const connection = this.#open();
        const reused = connection.sent > 0;
        on = connection;
        sentAt = performance.now();
        cancel = connection.send(query, shape, (error, reply) => {
          if (error?.reason === 'network' && again && reused && !connection.failed)
            return attempt(false);
          finish(error, reply);
        });
      };
      attempt(true);
    });
  }

  close(): void {
    this.#connection?.destroy();
    this.#connection = undefined;
  }

  #open(): DotConnection {
    if (!this.#connection || this.#connection.closed)
      this.#connection = new DotConnection(this.#target, {
        name: this.name,
        idleMs: this.#idleMs,
        match: this.#match,
      });
    return this.#connection;
  }

  #error(reason: UpstreamError['reason'], message: string): UpstreamError {
    return new UpstreamError(this.name, reason, `${this.name}: ${message}`);
  }
}
