// DNS over UDP to an upstream resolver (RFC 1035 §4.2.1), with the RFC 5452 defences: every
// exchange on a fresh socket (a new random source port, §9.2; the caller picks a random ID,
// randomId()), and a reply accepted only from the upstream's address and port with our ID and
// question (§9.1). Others are ignored and counted, and the wait goes on until the read timeout.
// A reply with TC set is retried over TCP (RFC 7766 §5; RFC 1035 §4.2.1). The query is sent as
// the caller built it (its EDNS OPT included).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  isTruncated,
  queryShape,
  replyMismatch,
  type MatchOptions,
  type QueryShape,
} from './reply-check.ts';
import { DEFAULT_TIMEOUT_MS, ipHostPort, TcpUpstream } from './upstream-tcp.ts';
import { exchangeEnd } from './exchange-end.ts';
import { formatHostPort, UpstreamError, type HostPort, type Upstream } from './upstream.ts';

export { randomId } from './upstream.ts';

export interface UdpUpstreamOptions extends MatchOptions {
  /** Read timeout per exchange in ms, for UDP and again for the TCP retry. Default 2000 (CoreDNS forward: "static at 2s"). */
  timeoutMs?: number;
  /**
   * connect() the socket to the upstream (default true), as CoreDNS does (Go's net.Dial "udp"):
   * the kernel then drops datagrams from any other source, and an ICMP port unreachable fails the
   * exchange at once (ECONNREFUSED) instead of at the timeout. The source check below stays
   * either way; `false` leaves it as the only one (tests use that to prove it).
   */
  connect?: boolean;
}

export class UdpUpstream implements Upstream {
  readonly name: string;
  readonly address: HostPort;
  /** Replies ignored: from another address or port, or not matching the query (reply-check.ts). */
  spoofedIgnored = 0;
  /** Truncated replies retried over TCP. */
  tcpRetries = 0;
  /** The TCP transport for retries after TC, to the same address and port. */
  readonly tcp: TcpUpstream;
  readonly #timeoutMs: number;
  readonly #connect: boolean;
  readonly #match: MatchOptions;
  readonly #family: 'udp4' | 'udp6';

  /** `address`: `ip:port` or `[ipv6]:port` (port 53 when left out). */
  constructor(address: string, options: UdpUpstreamOptions = {}) {
    const parsed = ipHostPort(address);
    const family = parsed.family;
    // The form the kernel reports a source in (RemoteInfo.address), e.g. ::1 for 0:0:0:0:0:0:0:1.
    const host =
      family === 6 ? new URL(`http://[${parsed.host}]/`).hostname.slice(1, -1) : parsed.host;
    this.address = { host, port: parsed.port };
    this.name = `udp://${formatHostPort(this.address)}`;
    this.#family = family === 6 ? 'udp6' : 'udp4';
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#connect = options.connect ?? true;
    this.#match = { exactCase: options.exactCase };
    this.tcp = new TcpUpstream(formatHostPort(this.address), {
      timeoutMs: this.#timeoutMs,
      exactCase: options.exactCase,
    });
  }

  async exchange(query: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const shape = queryShape(query); // a TypeError for a query without one question: our bug, not the upstream's
    const reply = await this.#udp(query, shape, signal);
    if (!isTruncated(reply)) return reply;
    this.tcpRetries++;
    try {
      return await this.tcp.exchange(query, signal);
    } catch (error) {
      if (error instanceof UpstreamError && error.reason === 'aborted') throw error;
      throw this.#error(
        'truncated',
        `the UDP reply was truncated and the TCP retry failed: ${(error as Error).message}`,
        error,
      );
    }
  }

  #udp(query: Uint8Array, shape: QueryShape, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (signal?.aborted) return Promise.reject(this.#error('aborted', 'aborted before sending'));
    return new Promise((resolve, reject) => {
      // Port 0: the kernel picks the source port at random from its ephemeral range (Linux
      // udp_lib_get_port since 2.6.24; BSDs with portrange.randomized), per socket.
      const socket: Socket = createSocket({ type: this.#family });
      const end = exchangeEnd<Uint8Array>({
        timeoutMs: this.#timeoutMs,
        signal,
        timedOut: () => this.#error('timeout', `no matching reply within ${this.#timeoutMs} ms`),
        aborted: () => this.#error('aborted', 'aborted'),
        release: () => socket.close(),
        resolve,
        reject,
      });
      const finish = end.finish;

      socket.on('error', (cause) => finish(this.#error('network', cause.message, cause)));
      socket.on('message', (reply: Buffer, from: RemoteInfo) => {
        if (
          from.address !== this.address.host ||
          from.port !== this.address.port ||
          replyMismatch(shape, reply, this.#match)
        ) {
          this.spoofedIgnored++;
          return;
        }
        finish(undefined, reply);
      });
      const sent = (cause: Error | null): void =>
        void (cause && finish(this.#error('network', cause.message, cause)));
      const send = (): void => {
        if (end.done) return; // aborted while connecting: the socket is closed
        if (this.#connect) socket.send(query, sent);
        else socket.send(query, this.address.port, this.address.host, sent);
      };
      if (this.#connect) socket.connect(this.address.port, this.address.host, send);
      else send();
    });
  }

  #error(reason: UpstreamError['reason'], message: string, cause?: unknown): UpstreamError {
    return new UpstreamError(this.name, reason, `${this.name}: ${message}`, { cause });
  }
}
