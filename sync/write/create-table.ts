import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../functions/store/dynamodb/codec.ts';

// `edge-dns-sync --create-table`: the table from the definition serverless.yml also uses
// (docs/architecture.md §5.3), created unless it exists, and waited for until it and its index are
// ACTIVE. DynamoDB has no event for that: DescribeTable is polled, with a deadline.

export interface CreateTableOptions {
  /** Give up after this long (default 5 minutes; AWS takes seconds to a minute). */
  deadlineMs?: number;
  /** Between two DescribeTable calls (default 1 s). */
  pollMs?: number;
  log?: (line: string) => void;
}

/** 'created' or 'existed'; throws when an existing table has other keys or no index, or when
 *  the table is not ACTIVE by the deadline. */
export async function createTable(
  client: DynamoDBClient,
  table: string,
  opts: CreateTableOptions = {},
): Promise<'created' | 'existed'> {
  const { deadlineMs = 300_000, pollMs = 1000, log = () => {} } = opts;
  const definition = tableDefinition(table);
  let outcome: 'created' | 'existed' = 'created';
  try {
    await client.send(new CreateTableCommand(definition));
    log(`creating table ${table}`);
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'existed';
  }
  const started = Date.now();
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (outcome === 'existed') checkShape(table, Table, definition);
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((x) => x.IndexStatus === 'ACTIVE')) {
      log(`table ${table} ${outcome === 'created' ? 'created' : 'exists'}, ACTIVE`);
      return outcome;
    }
    if (Date.now() - started > deadlineMs)
      throw new Error(
        `table ${table}: still ${Table?.TableStatus ?? 'unknown'} after ${deadlineMs / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** An existing table must have our keys and the by-cluster index, or the sync cannot use it. */
function checkShape(
  table: string,
  found: TableDescription | undefined,
  want: ReturnType<typeof tableDefinition>,
): void {
  const keys = (k: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    (k ?? []).map((x) => `${x.AttributeName} ${x.KeyType}`).join(', ');
  if (keys(found?.KeySchema) !== keys(want.KeySchema))
    throw new Error(
      `table ${table} exists with keys (${keys(found?.KeySchema)}), not edge-dns's (${keys(want.KeySchema)})`,
    );
  for (const index of want.GlobalSecondaryIndexes ?? []) {
    const got = found?.GlobalSecondaryIndexes?.find((x) => x.IndexName === index.IndexName);
    if (keys(got?.KeySchema) !== keys(index.KeySchema))
      throw new Error(`table ${table} exists without edge-dns's index ${index.IndexName}`);
  }
}
