// DNS over TCP to an upstream resolver (RFC 7766), one connection per exchange: connect, send the
// query with its 2-byte length (RFC 1035 §4.2.2, RFC 7766 §8), read one framed reply, close.
// Reusing connections with pipelining (RFC 7766 §6.2.1.1) is left for later: TCP here is the
// retry after a truncated UDP reply, or `force_tcp`, both rare next to UDP.
import { connect, isIP, type Socket } from 'node:net';
import { frame } from '../dns53/tcp-framing.ts';
import { queryShape, replyMismatch, type MatchOptions, type QueryShape } from './reply-check.ts';
import { exchangeEnd } from './exchange-end.ts';
import {
  formatHostPort,
  parseHostPort,
  UpstreamError,
  type HostPort,
  type Upstream,
} from './upstream.ts';

export interface TcpUpstreamOptions extends MatchOptions {
  /**
   * Time for the whole exchange (connect, send, reply), in ms. Default 2000: CoreDNS forward's
   * read timeout, "static at 2s" (plugin/forward/README.md).
   */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 2000;

/** An upstream's `ip:port` or `[ipv6]:port` (`defaultPort` when left out); a name is refused. */
export function ipHostPort(address: string, defaultPort = 53): HostPort & { family: 4 | 6 } {
  const parsed = parseHostPort(address, defaultPort);
  const family = isIP(parsed.host);
  if (family !== 4 && family !== 6)
    throw new RangeError(`upstream "${address}": the host must be an IP address`);
  return { ...parsed, family };
}
const HEADER = 12;

export class TcpUpstream implements Upstream {
  readonly name: string;
  readonly address: HostPort;
  readonly #timeoutMs: number;
  readonly #match: MatchOptions;

  /** `address`: `ip:port` or `[ipv6]:port` (port 53 when left out). */
  constructor(address: string, options: TcpUpstreamOptions = {}) {
    const { host, port } = ipHostPort(address);
    this.address = { host, port };
    this.name = `tcp://${formatHostPort(this.address)}`;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#match = { exactCase: options.exactCase };
  }

  exchange(query: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    let shape: QueryShape;
    try {
      shape = queryShape(query); // a TypeError for a query without one question: our bug, not the upstream's
      if (query.length > 0xffff)
        throw new TypeError('a DNS message over TCP is at most 65535 bytes (RFC 1035 §4.2.2)');
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(this.#error('aborted', 'aborted before sending'));

    return new Promise((resolve, reject) => {
      const socket: Socket = connect({
        host: this.address.host,
        port: this.address.port,
        noDelay: true,
      });
      let length: number | undefined; // the reply's length prefix, once read
      let chunks: Buffer[] = [];
      let received = 0;
      const { finish } = exchangeEnd<Uint8Array>({
        timeoutMs: this.#timeoutMs,
        signal,
        timedOut: () =>
          this.#error(
            'timeout',
            `no reply within ${this.#timeoutMs} ms (${received} bytes received)`,
          ),
        aborted: () => this.#error('aborted', 'aborted'),
        release: () => socket.destroy(),
        resolve,
        reject,
      });

      socket.on('connect', () => socket.write(frame(query)));
      socket.on('error', (cause) => finish(this.#error('network', cause.message, cause)));
      socket.on('close', () =>
        finish(
          this.#error(
            'network',
            length === undefined
              ? `connection closed before a reply (${received} bytes received)`
              : `connection closed after ${received - 2} of ${length} reply bytes`,
          ),
        ),
      );
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (length === undefined && received >= 2) {
          const head = Buffer.concat(chunks);
          chunks = [head];
          length = head.readUInt16BE(0);
          // Nothing shorter than a header is a DNS message (RFC 1035 §4.1.1): say so now rather
          // than wait for bytes that would not help.
          if (length < HEADER)
            return finish(
              this.#error('malformed', `reply length ${length} is shorter than a DNS header`),
            );
        }
        if (length === undefined || received < 2 + length) return;
        // One query on this connection, so the first whole message must be its reply: another ID
        // or question is the server talking nonsense, not a stale reply to wait past. Bytes after
        // it are not read.
        const reply = Buffer.concat(chunks).subarray(2, 2 + length);
        const mismatch = replyMismatch(shape, reply, this.#match);
        if (mismatch)
          return finish(this.#error('malformed', `reply does not match the query (${mismatch})`));
        finish(undefined, reply);
      });
    });
  }

  #error(reason: UpstreamError['reason'], message: string, cause?: unknown): UpstreamError {
    return new UpstreamError(this.name, reason, `${this.name}: ${message}`, { cause });
  }
}
