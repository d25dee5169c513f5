// DynamoDbReads (reads.ts) as the edge bundles make them: calls to DynamoDB's JSON protocol (AWS
// DynamoDB API reference, "Low-level API": POST /, X-Amz-Target DynamoDB_20120810.<Op>), signed
// with SigV4 and retried as the SDK's standard mode (functions/store/aws/aws-json-client.ts). It
// replaces the SDK client there, about 100 KB of bundle (bench/README.md "Bundles"). Whatever
// still fails throws, and the reader answers StoreUnavailableError (SERVFAIL).
import { awsJsonClient, type AwsCredentials } from '../aws/aws-json-client.ts';
import type { DynamoDbReads } from './reads.ts';
import { itemFromWire, itemToWire } from './json-wire.ts';
import type { Item } from './codec.ts';

export interface HttpReadsOptions {
  region: string;
  /** https://dynamodb.<region>.amazonaws.com unless given (dynalite, DynamoDB Local). */
  endpoint?: string;
  /** The keys, or a function giving them at each signing (read where they live). */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Attempts per read, the first included. */
  maxAttempts: number;
  /** The deadline of one attempt, connection and body included. */
  attemptTimeoutMs: number;
  /** The deadline of one read, retries included (aws-json-client.ts): the edge's share of its
   *  request deadline (docs/architecture.md §5.7). */
  deadlineMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

export function httpReads(opts: HttpReadsOptions): DynamoDbReads {
  const call = awsJsonClient({
    ...opts,
    service: 'dynamodb',
    endpoint: opts.endpoint ?? `https://dynamodb.${opts.region}.amazonaws.com`,
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
  });

  return {
    async getItem(input) {
      const out = (await call('GetItem', { ...input, Key: itemToWire(input.Key) })) as {
        Item?: unknown;
      };
      return out.Item ? { Item: itemFromWire(out.Item) } : {};
    },
    async batchGetItem(input) {
      const requestItems: Record<string, unknown> = {};
      for (const [table, r] of Object.entries(input.RequestItems))
        requestItems[table] = { ...r, Keys: r.Keys.map(itemToWire) };
      const out = (await call('BatchGetItem', { RequestItems: requestItems })) as {
        Responses?: Record<string, unknown[]>;
        UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
      };
      const responses: Record<string, Item[]> = {};
      for (const [table, items] of Object.entries(out.Responses ?? {}))
        responses[table] = items.map(itemFromWire);
      const unprocessed: Record<string, { Keys?: Item[] }> = {};
      for (const [table, r] of Object.entries(out.UnprocessedKeys ?? {}))
        unprocessed[table] = { Keys: (r.Keys ?? []).map(itemFromWire) };
      return { Responses: responses, UnprocessedKeys: unprocessed };
    },
    async query(input) {
      const out = (await call('Query', {
        ...input,
        ExpressionAttributeValues: itemToWire(input.ExpressionAttributeValues),
        ...(input.ExclusiveStartKey && { ExclusiveStartKey: itemToWire(input.ExclusiveStartKey) }),
      })) as { Items?: unknown[]; LastEvaluatedKey?: unknown };
      return {
        Items: (out.Items ?? []).map(itemFromWire),
        ...(out.LastEvaluatedKey !== undefined && {
          LastEvaluatedKey: itemFromWire(out.LastEvaluatedKey),
        }),
      };
    },
  };
}
