// A token bucket: `rate` tokens a second, holding at most `burst`; a query takes one. The clock
// is the caller's (milliseconds), so the bucket is pure and tests step time by hand.

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.#tokens = burst;
    this.#at = nowMs;
  }

  /** Takes a token if one is there (refilled for the time since the last call). */
  take(nowMs: number): boolean {
    this.#refill(nowMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Seconds until a token is there (0 when one is). */
  waitSeconds(nowMs: number): number {
    this.#refill(nowMs);
    return this.#tokens >= 1 ? 0 : (1 - this.#tokens) / this.rate;
  }

  /** Whether the bucket is full: a client that has been quiet, whose entry can go. */
  full(nowMs: number): boolean {
    this.#refill(nowMs);
    return this.#tokens >= this.burst;
  }

  #refill(nowMs: number): void {
    const elapsed = nowMs - this.#at;
    if (elapsed <= 0) return;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
    this.#at = nowMs;
  }
}
