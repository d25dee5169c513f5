// BatchWriteItem in groups of 25 (AWS API reference: at most 25 put or delete requests, no two on
// one key), a few groups in flight. UnprocessedItems and retryable errors are retried with capped
// exponential backoff and full jitter (sync/retry/backoff.ts); what still fails is returned, by
// owner name.
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { backoffMs, type RetryPolicy } from '../retry/backoff.ts';
import { isRetryable } from './retryable.ts';

const BATCH_SIZE = 25;

/** Told of each BatchWriteItem call retried, and why (sync/metrics/). */
export interface WriteStats {
  /** `unprocessed`: DynamoDB handed items back (usually throttling); `error`: the call failed. */
  retried(reason: 'unprocessed' | 'error'): void;
}

/** A put or delete, and the owner name it belongs to (a part's owner is its node's name). */
export interface OwnedRequest {
  owner: string;
  request: WriteRequest;
}

export interface BatchWriteDeps {
  client: Pick<DynamoDBClient, 'send'>;
  table: string;
  retry: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  /** Groups in flight at once. */
  concurrency: number;
  stats?: WriteStats;
}

/** Writes every request; returns owner name -> error for the owners of requests that failed. */
export async function writeAll(
  deps: BatchWriteDeps,
  requests: OwnedRequest[],
): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const groups: OwnedRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE)
    groups.push(requests.slice(i, i + BATCH_SIZE));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const group = groups[next++]!;
      for (const [owner, error] of await writeGroup(deps, group))
        if (!failures.has(owner)) failures.set(owner, error);
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency, groups.length) }, worker));
  return failures;
}

async function writeGroup(
  deps: BatchWriteDeps,
  group: OwnedRequest[],
): Promise<Map<string, string>> {
  const ownerOf = new Map(group.map((r) => [keyOf(r.request), r.owner]));
  let pending = group.map((r) => r.request);
  let lastError = '';
  let reason: 'unprocessed' | 'error' = 'error';
  for (let attempt = 0; attempt < deps.retry.attempts; attempt++) {
    if (attempt > 0) {
      deps.stats?.retried(reason);
      await deps.sleep(backoffMs(deps.retry, attempt - 1, deps.random));
    }
    try {
      const out = await deps.client.send(
        new BatchWriteItemCommand({ RequestItems: { [deps.table]: pending } }),
      );
      pending = out.UnprocessedItems?.[deps.table] ?? [];
      if (pending.length === 0) return new Map();
      lastError = `${pending.length} unprocessed items`;
      reason = 'unprocessed';
    } catch (e) {
      lastError = describe(e);
      reason = 'error';
      if (!isRetryable(e)) break;
    }
  }
  const error = `BatchWriteItem failed after retries: ${lastError}`;
  const failed = new Map<string, string>();
  for (const request of pending) {
    // A request DynamoDB hands back that we cannot match is reported for the whole group.
    const owner = ownerOf.get(keyOf(request));
    if (owner === undefined) return new Map(group.map((r) => [r.owner, error]));
    failed.set(owner, error);
  }
  const names = [...failed.keys()];
  deps.log(
    `dynamodb: ${pending.length} of ${group.length} writes failed (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}): ${lastError}`,
  );
  return failed;
}

/** The partition key a request writes: unique within a group, the sort key being our cluster. */
function keyOf(request: WriteRequest): string {
  return request.PutRequest?.Item?.name?.S ?? request.DeleteRequest?.Key?.name?.S ?? '';
}

function describe(e: unknown): string {
  if (e instanceof Error)
    return `${e.name}: ${e.message || (e as { code?: string }).code || 'no message'}`;
  return String(e);
}
