// Throttled DynamoDB calls, each try counted: a middleware inside the SDK's retry middleware (step
// finalizeRequest, below its priority), so the SDK's own retries are seen as well as ours
// (batch-write.ts). Throttling errors: DynamoDB developer guide, "Error handling".
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/** Calls `throttled(operation)` (e.g. `BatchWriteItem`) for every try DynamoDB throttled. */
export function countThrottles(
  client: Pick<DynamoDBClient, 'middlewareStack'>,
  throttled: (operation: string) => void,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && THROTTLING.has(error.name))
          throttled(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'edgeDnsThrottleCount' },
  );
}
