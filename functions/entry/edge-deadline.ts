// The edge's deadline split into the budgets of what a request waits for (docs/architecture.md
// §5.7). EDGE_DNS_DEADLINE bounds the whole answer (functions/doh/answer-deadline.ts); inside it a
// request may wait for two DynamoDB reads in a row (the change counter's check, then the name:
// functions/store/cached.ts), so each read gets under half of it, retries included, and fails in
// time for the cache to answer a stale entry (RFC 8767 §4) before the deadline answers SERVFAIL.
// A forwarded query gets as long as two reads: two upstreams tried in turn, half each.

/** The default: well below the Lambda function's timeout (serverless.yml) and the 5 s a stub
 *  resolver waits before it retries (resolv.conf `timeout`'s default). */
export const EDGE_DEADLINE_MS = 2000;
/** What the deadline may be set to (EDGE_DNS_DEADLINE). */
export const EDGE_DEADLINE_RANGE = { min: 200, max: 30_000 } as const;

/** Each read's share of the deadline; two of them leave a tenth for the answer itself. */
const READ_SHARE = 0.45;
/** Attempts per read: a stalled one is cut at half the read's budget and tried once more on a new
 *  connection; a throttled or failed one is retried after a jittered backoff while time is left. */
const READ_ATTEMPTS = 3;

export interface EdgeBudgets {
  /** For http-reads.ts. */
  read: { deadlineMs: number; attemptTimeoutMs: number; maxAttempts: number };
  /** For the DoH upstream pool (functions/forward/upstream-pool.ts): per upstream and per query. */
  forward: { timeoutMs: number; deadlineMs: number };
}

export function edgeBudgets(deadlineMs: number): EdgeBudgets {
  const readMs = Math.floor(deadlineMs * READ_SHARE);
  return {
    read: {
      deadlineMs: readMs,
      attemptTimeoutMs: Math.ceil(readMs / 2),
      maxAttempts: READ_ATTEMPTS,
    },
    forward: { timeoutMs: readMs, deadlineMs: 2 * readMs },
  };
}
