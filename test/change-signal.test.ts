// The sync writer's change signal (sync/write/change-signal.ts) through the real SDK against
// dynalite: the change-log item, the counter moved on a condition, and what happens when another
// writer moves it first, a log value is taken, or the signal fails.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '../functions/core/store.ts';
import {
  CHANGE_LOG_KEEP,
  changeLogItem,
  changeLogKey,
  readChangeLog,
} from '../functions/store/dynamodb/codec-change-log.ts';
import { serialMarkerKey } from '../functions/store/dynamodb/codec-serial.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { startDynalite } from './support/dynalite.ts';
import { nodesFromText } from './support/records.ts';

type Client = Pick<DynamoDBClient, 'send'>;
type Command = object;

const db = await startDynalite();
after(() => db.close());

const node = (name: string, ip = '10.0.0.1') => nodesFromText([`${name}. 5 IN A ${ip}`])[0]!;
const writer = (cluster: string, id: string, client: Client = db.client) =>
  new DynamoDbWriter({ client, table: db.table, cluster, id, serial: () => 100 });
const reader = (cluster: string) =>
  new DynamoDbStore({ client: sdkReads(db.client), table: db.table, cluster });
/** A client whose send goes through `hook` first. */
function intercept(
  hook: (command: Command, forward: (c: Command) => Promise<unknown>) => Promise<unknown>,
): Client {
  const forward = (c: Command) => db.client.send(c as never) as Promise<unknown>;
  return { send: (c: Command) => hook(c, forward) } as unknown as Client;
}
async function logOf(
  cluster: string,
  value: number,
): Promise<{ names: readonly string[] | 'all'; writer: string } | undefined> {
  const out = await db.client.send(
    new GetItemCommand({
      TableName: db.table,
      Key: changeLogKey(cluster, value),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) return undefined;
  const names = readChangeLog(out.Item).names;
  return { names: names === 'all' ? 'all' : [...names].sort(), writer: out.Item.writer!.S! };
}

test('each apply that wrote: a log item naming what it put and deleted, then the counter at its value', async () => {
  const w = writer('log', 'w1');
  const store = reader('log');
  assert.deepEqual((await w.apply({ put: [node('a.log.local')], delete: [] })).failed, []);
  assert.deepEqual(
    [await store.readSerial(), await logOf('log', 1)],
    [1, { names: 'all', writer: 'w1' }],
    "a writer's first signal: everything (one before it may have left changes unsignalled)",
  );
  await w.apply({ put: [node('b.log.local'), node('c.log.local')], delete: ['a.log.local'] });
  assert.deepEqual(
    [await store.readSerial(), await logOf('log', 2)],
    [2, { names: ['a.log.local', 'b.log.local', 'c.log.local'], writer: 'w1' }],
  );
  await w.apply({ put: [], delete: [] });
  assert.equal(await store.readSerial(), 2, 'nothing written: no signal');
  assert.deepEqual(await store.readChanges(1, 2), ['b.log.local', 'c.log.local', 'a.log.local']);
  assert.equal(await store.readChanges(0, 2), undefined, 'value 1 says everything');
  assert.equal(await store.lookup('.edge-dns/log/2'), undefined, 'never answered');
  assert.deepEqual(
    [...(await w.listOwned()).keys()].sort(),
    ['b.log.local', 'c.log.local'],
    'never listed as owned',
  );
});

test('the counter moved by another writer: read again, and signal after it', async () => {
  const w1 = writer('race', 'w1');
  const w2 = writer('race', 'w2');
  await w1.apply({ put: [node('a.race.local')], delete: [] }); // w1 knows the counter: 1
  await w2.apply({ put: [node('b.race.local')], delete: [] }); // w2: log 2 ('all', its first), counter 2
  assert.deepEqual((await w1.apply({ put: [node('c.race.local')], delete: [] })).failed, []);
  assert.equal(await reader('race').readSerial(), 3);
  assert.deepEqual(
    [await logOf('race', 2), await logOf('race', 3)],
    [
      { names: 'all', writer: 'w2' },
      { names: ['c.race.local'], writer: 'w1' },
    ],
    "log 2 stays w2's: a value is claimed once",
  );
});

test('the counter moved between our log item and our condition: our item stays, the names are signalled after', async () => {
  const w2 = writer('between', 'w2');
  let raced = false;
  const client = intercept(async (command, forward) => {
    if (command instanceof UpdateItemCommand && !raced) {
      raced = true;
      await w2.apply({ put: [node('b.between.local')], delete: [] }); // lists log 2 (ours): takes 3
    }
    return forward(command);
  });
  const w1 = writer('between', 'w1', client);
  raced = true;
  await w1.apply({ put: [node('a.between.local')], delete: [] }); // counter 1
  raced = false;
  assert.deepEqual((await w1.apply({ put: [node('c.between.local')], delete: [] })).failed, []);
  assert.equal(await reader('between').readSerial(), 4);
  assert.deepEqual(
    [await logOf('between', 2), await logOf('between', 3), await logOf('between', 4)],
    [
      { names: ['c.between.local'], writer: 'w1' },
      { names: 'all', writer: 'w2' },
      { names: ['c.between.local'], writer: 'w1' },
    ],
  );
  assert.equal(
    await reader('between').readChanges(1, 4),
    undefined,
    "w2's first signal says everything",
  );
});

test('a log value already taken (an item left by a writer that stopped before its counter): skipped', async () => {
  await writer('orphan', 'w1').apply({ put: [node('a.orphan.local')], delete: [] });
  await db.client.send(
    new PutItemCommand({
      TableName: db.table,
      Item: changeLogItem('orphan', 2, ['x.orphan.local'], 'gone'),
    }),
  );
  const w = writer('orphan', 'w3');
  await w.apply({ put: [node('b.orphan.local')], delete: [] });
  assert.deepEqual(
    [
      await reader('orphan').readSerial(),
      (await logOf('orphan', 2))?.writer,
      (await logOf('orphan', 3))?.writer,
    ],
    [3, 'gone', 'w3'],
  );
});

test('a signal that fails: names reported failed, carried into the next signal (our own log item rewritten)', async () => {
  let fail = false;
  const client = intercept(async (command, forward) => {
    if (command instanceof UpdateItemCommand && fail)
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    return forward(command);
  });
  const w = writer('carry', 'w1', client);
  await w.apply({ put: [node('a.carry.local')], delete: [] });
  fail = true;
  const result = await w.apply({ put: [node('b.carry.local')], delete: [] });
  assert.deepEqual(
    result.failed.map((f) => f.name),
    ['b.carry.local'],
  );
  assert.match(result.failed[0]!.error, /serial marker was not bumped.*ThrottlingException/);
  assert.deepEqual(
    [await reader('carry').readSerial(), await logOf('carry', 2)],
    [1, { names: ['b.carry.local'], writer: 'w1' }],
  );
  fail = false;
  await w.apply({ put: [node('c.carry.local')], delete: [] });
  assert.deepEqual(
    [await reader('carry').readSerial(), await logOf('carry', 2)],
    [2, { names: ['b.carry.local', 'c.carry.local'], writer: 'w1' }],
  );
});

test('the counter keeps moving: the signal is given up after a few tries, and the names reported failed', async () => {
  const client = intercept(async (command, forward) => {
    if (command instanceof UpdateItemCommand)
      throw Object.assign(new Error('moved'), { name: 'ConditionalCheckFailedException' });
    return forward(command);
  });
  const result = await writer('contended', 'w1', client).apply({
    put: [node('a.contended.local')],
    delete: [],
  });
  assert.match(result.failed[0]?.error ?? '', /serial marker was not bumped.*another writer/);
});

test('a marker deleted while log items remain: the counter starts after them, not at a value an edge saw', async () => {
  const w = writer('reset', 'w1');
  for (const n of ['a', 'b', 'c']) await w.apply({ put: [node(`${n}.reset.local`)], delete: [] });
  await db.client.send(
    new DeleteItemCommand({ TableName: db.table, Key: serialMarkerKey('reset') }),
  );
  await writer('reset', 'w2').apply({ put: [node('d.reset.local')], delete: [] }); // learns the log items from its listing
  assert.equal(await reader('reset').readSerial(), 4);
});

test('log items: the last CHANGE_LOG_KEEP kept, older ones deleted with the stale parts, also by a restarted writer', async () => {
  const logs = async () => {
    const values: number[] = [];
    for (let v = 1; v <= CHANGE_LOG_KEEP + 10; v++) if (await logOf('prune', v)) values.push(v);
    return values;
  };
  const w = writer('prune', 'w1');
  for (let i = 1; i <= CHANGE_LOG_KEEP + 5; i++)
    await w.apply({ put: [node('a.prune.local', `10.0.0.${i % 250}`)], delete: [] });
  const counter = CHANGE_LOG_KEEP + 5;
  assert.equal(await reader('prune').readSerial(), counter);
  // Before its last signal the writer deleted the values up to (counter - 1) - KEEP.
  assert.deepEqual(
    await logs(),
    Array.from({ length: CHANGE_LOG_KEEP + 1 }, (_, i) => counter - CHANGE_LOG_KEEP + i),
  );
  await writer('prune', 'w2').apply({ put: [node('a.prune.local', '10.0.1.1')], delete: [] });
  await writer('prune', 'w2').apply({ put: [node('a.prune.local', '10.0.1.2')], delete: [] });
  const last = counter + 2;
  assert.deepEqual(
    await logs(),
    Array.from({ length: CHANGE_LOG_KEEP + 1 }, (_, i) => last - CHANGE_LOG_KEEP + i),
  );
});

test('reading the log: a corrupt item or no table is StoreUnavailableError (the edge then revalidates everything)', async () => {
  await db.client.send(
    new PutItemCommand({
      TableName: db.table,
      Item: { ...changeLogKey('corrupt-log', 1), names: { S: 'a.corrupt.local' } },
    }),
  );
  await assert.rejects(
    reader('corrupt-log').readChanges(0, 1),
    (e) => e instanceof StoreUnavailableError && /change log 0\.\.1: corrupt item/.test(e.message),
  );
  await assert.rejects(
    new DynamoDbStore({
      client: sdkReads(db.client),
      table: 'no-such-table',
      cluster: 'c',
    }).readChanges(0, 1),
    StoreUnavailableError,
  );
  assert.equal(
    await reader('corrupt-log').readChanges(0, 1 + CHANGE_LOG_KEEP),
    undefined,
    'longer than the log kept: not known name by name',
  );
});

test('applies that overlap on one writer signal one after the other, each under its own value', async () => {
  const w = writer('overlap', 'w1');
  await w.apply({ put: [node('first.overlap.local')], delete: [] });
  const names = Array.from({ length: 8 }, (_, i) => `n${i}.overlap.local`);
  const results = await Promise.all(
    names.map((name) => w.apply({ put: [node(name)], delete: [] })),
  );
  assert.deepEqual(
    results.flatMap((r) => r.failed),
    [],
  );
  assert.equal(await reader('overlap').readSerial(), 1 + names.length);
  const logged = await Promise.all(names.map((_, i) => logOf('overlap', 2 + i)));
  assert.deepEqual(
    logged
      .map((l) => l?.names)
      .flat()
      .sort(),
    names,
    'every name under one value, none lost',
  );
});
