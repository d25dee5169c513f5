// The reads the edge makes (reader.ts, query-reader.ts): GetItem, BatchGetItem and Query, in the
// SDK's shapes (the
// attribute values as the SDK gives them: `B` as bytes). Two implementations: the SDK client
// (sdk-reads.ts: tests, benchmarks, the sync's tools) and a signed fetch speaking DynamoDB's JSON
// protocol (http-reads.ts: the edge bundles, docs/architecture.md §7).
import type { Item } from './codec.ts';

export interface GetItemInput {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
}

export interface BatchGetItemInput {
  RequestItems: Record<string, { Keys: Item[]; ConsistentRead?: boolean }>;
}

export interface BatchGetItemOutput {
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
}

/** A Query on the partition key (query-reader.ts: every cluster's item of one name). */
export interface QueryInput {
  TableName: string;
  KeyConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues: Item;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Item;
}

export interface QueryOutput {
  Items?: Item[];
  LastEvaluatedKey?: Item;
}

/** Throws on any failure (the reader maps it to StoreUnavailableError). */
export interface DynamoDbReads {
  getItem(input: GetItemInput): Promise<{ Item?: Item }>;
  batchGetItem(input: BatchGetItemInput): Promise<BatchGetItemOutput>;
  query(input: QueryInput): Promise<QueryOutput>;
}
