// What one cluster owns in the table, from the by-cluster GSI (keys, `hash` and `parts` projected:
// codec.ts), read page by page (Query returns at most 1 MB a page, AWS "Paginating query results").
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  INDEX_BY_CLUSTER,
  isInternalName,
  parsePartName,
  partName,
  type Item,
} from '../../functions/store/dynamodb/codec.ts';
import { parseChangeLogName } from '../../functions/store/dynamodb/codec-change-log.ts';
import { isRecordItemName } from '../../functions/store/dynamodb/codec-record-items.ts';

export interface OwnedListing {
  /**
   * Owner name -> content hash of its head item; '' when the node is not whole: parts without a
   * head (a crash between a delete's two steps), missing parts, or parts of another generation.
   * '' never equals a content hash, so the reconcile rewrites or deletes the name.
   */
  hashes: Map<string, string>;
  /** Owner name -> names of the part items stored for it (any generation). */
  parts: Map<string, Set<string>>;
  /** Counter values of the change-log items stored (codec-change-log.ts), for pruning. */
  logs: number[];
}

export async function listOwnedItems(
  client: Pick<DynamoDBClient, 'send'>,
  table: string,
  cluster: string,
): Promise<OwnedListing> {
  const items: Item[] = [];
  let start: Record<string, NonNullable<Item[string]>> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEX_BY_CLUSTER,
        KeyConditionExpression: '#c = :c',
        // `cluster` and `name` are DynamoDB reserved words.
        ExpressionAttributeNames: { '#c': 'cluster' },
        ExpressionAttributeValues: { ':c': { S: cluster } },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return classifyOwned(items);
}

/** Sorts GSI items into heads, parts and change-log items (pure). Markers (fence, serial) are skipped. */
export function classifyOwned(items: Item[]): OwnedListing {
  const heads = new Map<string, { hash: string; parts: number }>();
  const parts = new Map<string, Set<string>>();
  const logs: number[] = [];
  for (const item of items) {
    const key = item.name?.S;
    if (key === undefined) continue;
    const part = parsePartName(key);
    const log = parseChangeLogName(key);
    if (log !== undefined) logs.push(log);
    else if (part) {
      const set = parts.get(part.owner) ?? new Set<string>();
      parts.set(part.owner, set.add(key));
    } else if (!isInternalName(key) || isRecordItemName(key)) {
      heads.set(key, { hash: item.hash?.S ?? '', parts: Number(item.parts?.N ?? 0) });
    }
  }
  const hashes = new Map<string, string>();
  for (const [owner, head] of heads)
    hashes.set(owner, whole(owner, head, parts.get(owner)) ? head.hash : '');
  for (const owner of parts.keys()) if (!heads.has(owner)) hashes.set(owner, '');
  return { hashes, parts, logs };
}

/** The head's parts are exactly 1..n of its own generation. */
function whole(
  owner: string,
  head: { hash: string; parts: number },
  stored = new Set<string>(),
): boolean {
  if (!Number.isSafeInteger(head.parts) || stored.size !== head.parts) return false;
  for (let i = 1; i <= head.parts; i++)
    if (!stored.has(partName(owner, head.hash, i))) return false;
  return true;
}
