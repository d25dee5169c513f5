// Backoff for the sync, in two forms.
//
// Backoff: capped exponential delays for reconnecting to the Kubernetes API. The cap stays near a
// second: changes made while the API was away must show up soon after it returns.
//
// RetryPolicy and backoffMs: capped exponential backoff with full jitter for retrying store calls
// (AWS Architecture Blog, "Exponential Backoff And Jitter"; AWS SDK developer guide "Retry
// behavior"): wait random(0, min(maxMs, baseMs * 2^retry)).

export interface BackoffMs {
  initial: number;
  max: number;
}

export const defaultBackoffMs: BackoffMs = { initial: 200, max: 1000 };

export class Backoff {
  readonly #limits: BackoffMs;
  #current: number;

  constructor(limits: BackoffMs = defaultBackoffMs) {
    this.#limits = limits;
    this.#current = limits.initial;
  }

  /** The delay to wait now; the next one doubles, up to the cap. */
  next(): number {
    const delay = this.#current;
    this.#current = Math.min(this.#current * 2, this.#limits.max);
    return delay;
  }

  reset(): void {
    this.#current = this.#limits.initial;
  }
}

export interface RetryPolicy {
  /** Tries in all, the first one included (1 = no retry). */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 8, baseMs: 50, maxMs: 5_000 };

/** Problems with a policy, empty when usable. */
export function retryProblems(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1)
    problems.push(`attempts must be an integer >= 1, got ${policy.attempts}`);
  if (!(policy.baseMs >= 0)) problems.push(`baseMs must be >= 0, got ${policy.baseMs}`);
  if (!(policy.maxMs >= policy.baseMs))
    problems.push(`maxMs must be >= baseMs, got ${policy.maxMs}`);
  return problems;
}

/** The wait before retry number `retry` (0 = the first retry); `random` returns [0, 1). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * cap);
}
