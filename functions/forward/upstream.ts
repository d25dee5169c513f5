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

/** A resolver's address: `host:port`, `[v6]:port`, or a bare host (port 53). */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Splits `127.0.0.1:53`, `[::1]:53`, `10.0.0.10` or `::1` (a bare IPv6 address takes port 53),
 * the forms CoreDNS's forward accepts for TO. Throws a RangeError on a bad port or brackets;
 * whether the host is an IP address is the transport's check (node:net isIP).
 */
export function parseHostPort(address: string, defaultPort = 53): HostPort {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(address);
  const [host, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : plain
      ? [plain[1], plain[2]]
      : address.includes('[')
        ? []
        : [address, undefined];
  if (!host)
    throw new RangeError(`bad upstream address "${address}": expected host:port or [v6]:port`);
  const n = port === undefined ? defaultPort : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new RangeError(`bad upstream port in "${address}": 1-65535`);
  return { host, port: n };
}

/** `host:port`, with brackets around an IPv6 host (RFC 3986 §3.2.2). */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A random query ID (RFC 5452 §9.2: IDs and source ports unpredictable), from the platform's
 * CSPRNG (crypto.getRandomValues, in Node, workerd and browsers alike).
 */
export function randomId(): number {
  return crypto.getRandomValues(new Uint16Array(1))[0]!;
}
