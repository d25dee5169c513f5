import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../functions/store/dynamodb/codec.ts';
import { startDynalite } from '../../test/support/dynalite.ts';
import { createTable } from './create-table.ts';

test('creates the table as tableDefinition() says, waits for ACTIVE; then finds it exists', async (t) => {
  // dynalite reports the table CREATING for 200 ms: the wait has to see it become ACTIVE.
  const db = await startDynalite({ createTable: false, createTableMs: 200 });
  t.after(() => db.close());
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  assert.equal(await createTable(db.client, 'records', { pollMs: 20, log }), 'created');
  const { Table } = await db.client.send(new DescribeTableCommand({ TableName: 'records' }));
  assert.equal(Table?.TableStatus, 'ACTIVE');
  const want = tableDefinition('records');
  assert.deepEqual(Table?.KeySchema, want.KeySchema);
  assert.deepEqual(
    Table?.GlobalSecondaryIndexes?.map((x) => [x.IndexName, x.KeySchema, x.IndexStatus]),
    want.GlobalSecondaryIndexes?.map((x) => [x.IndexName, x.KeySchema, 'ACTIVE']),
  );
  assert.equal(await createTable(db.client, 'records', { pollMs: 20, log }), 'existed');
  assert.deepEqual(lines, [
    'creating table records',
    'table records created, ACTIVE',
    'table records exists, ACTIVE',
  ]);
});

test('a table that stays CREATING past the deadline is an error', async (t) => {
  const db = await startDynalite({ createTable: false, createTableMs: 60_000 });
  t.after(() => db.close());
  await assert.rejects(
    createTable(db.client, 'slow', { pollMs: 10, deadlineMs: 50 }),
    /^Error: table slow: still CREATING after 0\.05 s$/,
  );
});

test('an existing table of another shape is refused, not used', async (t) => {
  const db = await startDynalite({ createTable: false });
  t.after(() => db.close());
  await db.client.send(
    new CreateTableCommand({
      TableName: 'other',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  await assert.rejects(
    createTable(db.client, 'other', { pollMs: 10 }),
    /table other exists with keys \(id HASH\), not edge-dns's \(name HASH, cluster RANGE\)/,
  );
});
