// DynamoDbReads (reads.ts) over the AWS SDK client, or anything with its `send` (a wrapper in
// tests). Not in the edge bundles: they read through http-reads.ts.
import {
  BatchGetItemCommand,
  GetItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDbReads } from './reads.ts';
import type { Item } from './codec.ts';

export function sdkReads(client: Pick<DynamoDBClient, 'send'>): DynamoDbReads {
  return {
    getItem: async (input) => {
      const out = await client.send(new GetItemCommand(input));
      return out.Item ? { Item: out.Item as Item } : {};
    },
    batchGetItem: async (input) => {
      const out = await client.send(new BatchGetItemCommand(input));
      return {
        ...(out.Responses && { Responses: out.Responses as Record<string, Item[]> }),
        ...(out.UnprocessedKeys && {
          UnprocessedKeys: out.UnprocessedKeys as Record<string, { Keys?: Item[] }>,
        }),
      };
    },
    query: async (input) => {
      const out = await client.send(new QueryCommand(input));
      return {
        Items: (out.Items ?? []) as Item[],
        ...(out.LastEvaluatedKey && { LastEvaluatedKey: out.LastEvaluatedKey as Item }),
      };
    },
  };
}
