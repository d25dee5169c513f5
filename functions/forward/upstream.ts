// One upstream resolver, wire in, wire out (functions/forward/README.md).

export interface Upstream {
  /** For logs and metrics: `udp://127.0.0.1:53`, `https://dns.example/dns-query`. */
  readonly name: string;
  /**
   * Sends one query (wire format; the caller chose its ID) and resolves with the reply that
   * matches it (reply-check.ts: ID, question, and for UDP the source address and port); replies
   * that do not match are ignored, never returned. Rejects on timeout, on a transport error, or
   * when `signal` aborts; never resolves with a reply to another query.
   */
  exchange(query: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Closes sockets it keeps (TCP connections). */
  close?(): void;
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly upstream: string,
    readonly reason: 'timeout' | 'network' | 'truncated' | 'malformed' | 'aborted',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
