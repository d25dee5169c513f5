// Which failed DynamoDB calls are worth retrying (DynamoDB developer guide, "Error handling").

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
