// The sync's DynamoDB client (docs/architecture.md §5.7): every call has a deadline. The SDK's
// Node handler only warns when a request outlives `requestTimeout` unless `throwOnRequestTimeout`
// is set (@smithy/types NodeHttpHandlerOptions); with it, a stalled call's socket is destroyed and
// the call fails as TimeoutError, which the SDK retries (standard mode, `maxAttempts`), the writer
// retries with full-jitter backoff (batch-write.ts), and the reconciler retries a name that still
// failed in a later round (sync/reconcile/reconciler.ts). So a stalled DynamoDB makes rounds fail
// and retry, never hang.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SyncDynamoDbOptions {
  region: string;
  endpoint?: string | undefined;
  /** The deadline of one attempt of one call (`--dynamodb-timeout`). */
  timeoutMs: number;
}

/** Attempts per call, the first included: the SDK's standard mode. */
const MAX_ATTEMPTS = 3;

export function syncDynamoDbClient(o: SyncDynamoDbOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: o.region,
    ...(o.endpoint !== undefined && { endpoint: o.endpoint }),
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      // Connecting is part of the call's deadline.
      connectionTimeout: o.timeoutMs,
      requestTimeout: o.timeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
