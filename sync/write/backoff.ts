// Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter"; AWS SDK developer guide "Retry behavior"): wait random(0, min(maxMs, baseMs * 2^retry)).

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

/**
 * Whether a failed DynamoDB call is worth retrying: throttling and capacity errors, 5xx, and
 * errors without an HTTP status (connection refused or reset, timeouts). A 4xx such as
 * ValidationException or ResourceNotFoundException will fail the same way again.
 */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (throttling.has(e.name)) return true;
  const meta = e as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (meta.$retryable) return true;
  const status = meta.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

// DynamoDB "Error handling": the throttling and capacity exceptions a client should retry.
const throttling = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);
