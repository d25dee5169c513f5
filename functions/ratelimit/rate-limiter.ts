// Query rate limits by client and overall: a token bucket per client (an IPv4 address, or the /64
// an IPv6 client holds, since one host can use any address in it) and one for all clients, with
// an allow-list of networks that neither limits nor counts. Over a limit, a transport that can
// answer cheaply says so (DoH 429 with Retry-After, TCP REFUSED); UDP follows response rate
// limiting's slip (BIND RRL): every `slip`-th limited query gets a truncated empty reply, so a
// real client retries over TCP, and the rest get nothing, so a spoofed-source flood is never
// amplified. Pure: the clock is the caller's.
import { inAnyNetwork, masked, type IpNetwork } from '../core/ip-network.ts';
import { parseIp } from '../core/ip.ts';
import { Lru } from '../store/lru.ts';
import { TokenBucket } from './token-bucket.ts';

export interface RateLimitOptions {
  /** Queries a second per client; absent: no per-client limit. */
  perClient?: number;
  /** Queries a second for all clients together; absent: no overall limit. */
  perSecond?: number;
  /** Networks never limited (nor counted against the overall limit). */
  allow: readonly IpNetwork[];
  /** UDP: every slip-th limited query gets a truncated reply, the others none (0: none). */
  slip: number;
  /** Clients tracked at once; past this the least recently seen is forgotten. */
  maxClients: number;
}

export const rateLimitDefaults = { slip: 2, maxClients: 100_000 } as const;

/** What to do with a query: answer it, or (limited) send a truncated reply, or nothing. */
export type Verdict = 'pass' | 'slip' | 'drop';

export interface RateLimitCounts {
  passed: number;
  /** Limited queries, by what was done: slipped (truncated reply) or dropped (none). */
  slipped: number;
  dropped: number;
}

export class RateLimiter {
  readonly #o: RateLimitOptions;
  readonly #clients: Lru<string, TokenBucket>;
  readonly #overall: TokenBucket | undefined;
  #limited = 0;
  /** Carried over from the limiter this one replaces (a reload), so counts only grow. */
  readonly counts: RateLimitCounts;

  constructor(options: RateLimitOptions, nowMs: number, counts?: RateLimitCounts) {
    this.#o = options;
    this.counts = counts ?? { passed: 0, slipped: 0, dropped: 0 };
    this.#clients = new Lru(options.maxClients);
    this.#overall =
      options.perSecond === undefined
        ? undefined
        : new TokenBucket(options.perSecond, options.perSecond, nowMs);
  }

  /** The verdict for a query from `address` now. */
  admit(address: string, nowMs: number): Verdict {
    if (inAnyNetwork(this.#o.allow, address)) {
      this.counts.passed++;
      return 'pass';
    }
    const client = this.#bucket(address, nowMs);
    // The client's own budget first: a client over its limit never spends the overall one.
    const ok = (!client || client.take(nowMs)) && (!this.#overall || this.#overall.take(nowMs));
    if (ok) {
      this.counts.passed++;
      return 'pass';
    }
    const slip = this.#o.slip > 0 && ++this.#limited % this.#o.slip === 0;
    if (slip) this.counts.slipped++;
    else this.counts.dropped++;
    return slip ? 'slip' : 'drop';
  }

  /** Seconds until `address` may ask again (DoH Retry-After), at least 1. */
  retryAfterSeconds(address: string, nowMs: number): number {
    const waits = [
      this.#clients.peek(clientKey(address))?.waitSeconds(nowMs) ?? 0,
      this.#overall?.waitSeconds(nowMs) ?? 0,
    ];
    return Math.max(1, Math.ceil(Math.max(...waits)));
  }

  /** Clients tracked now. */
  get clients(): number {
    return this.#clients.size;
  }

  #bucket(address: string, nowMs: number): TokenBucket | undefined {
    const rate = this.#o.perClient;
    if (rate === undefined) return undefined;
    const key = clientKey(address);
    let bucket = this.#clients.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, rate, nowMs);
      this.#clients.set(key, bucket);
    }
    return bucket;
  }
}

/** The client an address counts for: itself (IPv4), its /64 (IPv6), or the text as given. */
export function clientKey(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address;
  return ip.family === 4 ? ip.text : `${masked(ip.bytes, 64).slice(0, 8).join('.')}/64`;
}
