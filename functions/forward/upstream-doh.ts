// DNS over HTTPS to an upstream resolver (RFC 8484): the edge's only way out (Lambda and Workers
// have no UDP), and an option for the container. Only `fetch`, so every runtime can carry it.
//
// POST with `application/dns-message` (RFC 8484 §4.1). The query keeps the random ID the pool
// chose: RFC 8484 §4.1 asks for ID 0 only for HTTP cache friendliness, which a POST does not get,
// and the ID lets the pool tell its own query coming back to it (a loop) from a client's. The
// reply must be a 200 with the DoH media type, a DNS message that answers our question
// (reply-check.ts); anything else fails the exchange, and the pool moves on.
import { queryShape, replyMismatch } from './reply-check.ts';
import { UpstreamError, type Upstream } from './upstream.ts';

export interface DohUpstreamOptions {
  /** The upstream's DoH URL, e.g. https://dns.example/dns-query (http: only for loopback tests). */
  url: string;
  /** Read timeout per exchange in ms (default 2000, as the UDP and TCP upstreams). */
  timeoutMs?: number;
  /** Extra request headers, e.g. `Authorization: Bearer …` for another edge-dns. */
  headers?: Record<string, string>;
  /** The runtime's fetch (tests pass an HTTP/2 one). */
  fetch?: (request: Request) => Promise<Response>;
}

const DNS_MESSAGE = 'application/dns-message';
/** RFC 8484 §6 / RFC 1035 §4.2.2: no DNS message is longer. */
const MAX_MESSAGE = 65535;

export class DohUpstream implements Upstream {
  readonly name: string;
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #fetch: (request: Request) => Promise<Response>;

  constructor(o: DohUpstreamOptions) {
    const url = new URL(o.url); // throws a TypeError naming the bad URL
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new RangeError(`DoH upstream "${o.url}": expected an https:// URL`);
    this.#url = url.href;
    this.name = url.href;
    this.#timeoutMs = o.timeoutMs ?? 2000;
    this.#headers = { ...o.headers, 'content-type': DNS_MESSAGE, accept: DNS_MESSAGE };
    this.#fetch = o.fetch ?? ((request) => fetch(request));
  }

  async exchange(query: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const shape = queryShape(query);
    if (signal?.aborted) throw this.#error('aborted', 'aborted before sending');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const body = new Uint8Array(query); // a copy: the request owns its body
      const response = await this.#fetch(
        new Request(this.#url, {
          method: 'POST',
          headers: this.#headers,
          body,
          signal: controller.signal,
        }),
      );
      if (response.status !== 200) {
        await response.body?.cancel();
        throw this.#error('network', `HTTP ${response.status}`);
      }
      const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== DNS_MESSAGE) {
        await response.body?.cancel();
        throw this.#error('malformed', `the reply is ${type ?? 'untyped'}, not ${DNS_MESSAGE}`);
      }
      const reply = new Uint8Array(await response.arrayBuffer());
      if (reply.length > MAX_MESSAGE)
        throw this.#error(
          'malformed',
          `a reply of ${reply.length} bytes, longer than any DNS message`,
        );
      const mismatch = replyMismatch(shape, reply);
      if (mismatch)
        throw this.#error('malformed', `the reply does not answer our query (${mismatch})`);
      return reply;
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if (timedOut) throw this.#error('timeout', `no reply within ${this.#timeoutMs} ms`, error);
      if (signal?.aborted) throw this.#error('aborted', 'aborted', error);
      throw this.#error('network', error instanceof Error ? error.message : String(error), error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #error(reason: UpstreamError['reason'], message: string, cause?: unknown): UpstreamError {
    return new UpstreamError(this.name, reason, `${this.name}: ${message}`, { cause });
  }
}
