// A budget per DoH token (docs/architecture.md §6.19): a token bucket per token identity (a JWT's
// issuer and subject, else the token itself), held where the app runs: per container, and per
// Lambda instance or Workers isolate at the edge, not across them. Pure: the clock is the caller's.
import { Lru } from '../store/lru.ts';
import { TokenBucket } from '../ratelimit/token-bucket.ts';

export interface TokenBudgetOptions {
  /** Requests a second per token, and the burst a quiet token may spend at once. */
  perSecond: number;
  burst: number;
  /** Tokens tracked at once; past this the least recently seen is forgotten (a full bucket). */
  maxTokens?: number;
}

export class TokenBudget {
  readonly #o: TokenBudgetOptions;
  readonly #buckets: Lru<string, TokenBucket>;

  constructor(options: TokenBudgetOptions) {
    this.#o = options;
    this.#buckets = new Lru(options.maxTokens ?? 10_000);
  }

  /** Spends one request of `identity`'s budget: undefined, or the whole seconds to wait (>= 1,
   *  RFC 9110 §10.2.3 Retry-After) when it is spent. */
  take(identity: string, nowMs: number): number | undefined {
    let bucket = this.#buckets.get(identity);
    if (!bucket)
      this.#buckets.set(
        identity,
        (bucket = new TokenBucket(this.#o.perSecond, this.#o.burst, nowMs)),
      );
    return bucket.take(nowMs) ? undefined : Math.max(1, Math.ceil(bucket.waitSeconds(nowMs)));
  }
}

/** `per_second [burst]` (burst defaults to per_second), as EDGE_DNS_TOKEN_BUDGET and
 *  --doh-token-budget write it; a string says what is wrong. */
export function parseTokenBudget(text: string): TokenBudgetOptions | string {
  const m = /^\s*(\d+(?:\.\d+)?)(?:\s+(\d+))?\s*$/.exec(text);
  const perSecond = Number(m?.[1]);
  const burst = m?.[2] === undefined ? Math.max(1, Math.ceil(perSecond)) : Number(m[2]);
  if (!m || !(perSecond > 0) || perSecond > 1e6 || burst < 1 || burst > 1e6)
    return 'expected "PER_SECOND [BURST]": requests a second per token (> 0) and an optional burst (1..1000000)';
  return { perSecond, burst };
}
