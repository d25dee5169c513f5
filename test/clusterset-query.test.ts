// The clusterset read (functions/store/dynamodb/query-reader.ts) against dynalite, with items the
// sync's writer put: one Query per name returns every configured cluster's node in order, leaves
// out the clusters not configured, reads split bodies (parts) as GetItem does, and the counters
// of every cluster come in one BatchGetItem (docs/architecture.md §5.8).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NameNode } from '../functions/core/record.ts';
import { StoreUnavailableError } from '../functions/core/store.ts';
import { DynamoDbQueryReader } from '../functions/store/dynamodb/query-reader.ts';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { nodesFromText } from './support/records.ts';

let db: Dynalite;
before(async () => {
  db = await startDynalite();
});
after(() => db.close());

const WEB = 'web.shop.svc.clusterset.local';
const BIG = 'big.shop.svc.clusterset.local';
const big: NameNode = {
  name: BIG,
  sets: [
    {
      type: 'AAAA',
      ttl: 5,
      data: Array.from({ length: 300 }, (_, i) => `fd00::${(i + 1).toString(16)}`),
    },
  ],
};
const published: Record<string, NameNode[]> = {
  east: [...nodesFromText([`${WEB}. 5 IN A 10.1.0.5`]), big],
  west: nodesFromText([`${WEB}. 5 IN A 10.2.0.5`]),
  north: nodesFromText([`${WEB}. 5 IN A 10.3.0.5`]),
};

/** The SDK client, telling `seen` each command it sends. */
function counted(seen: string[]): Pick<DynamoDBClient, 'send'> {
  return {
    send: ((command: object) => {
      seen.push(command.constructor.name.replace(/Command$/, ''));
      return db.client.send(command as never);
    }) as DynamoDBClient['send'],
  };
}

test("one Query per name: the configured clusters' nodes, in order", async () => {
  for (const [cluster, nodes] of Object.entries(published)) {
    const w = new DynamoDbWriter({ client: db.client, table: db.table, cluster, partBytes: 1000 });
    assert.deepEqual((await w.apply({ put: nodes, delete: [] })).failed, []);
  }
  const seen: string[] = [];
  const reader = new DynamoDbQueryReader({
    client: sdkReads(counted(seen)),
    table: db.table,
    clusters: ['west', 'east'],
  });
  const rows: [name: string, want: NameNode[], reads: string[]][] = [
    [WEB, [published.west![0]!, published.east![0]!], ['Query']],
    ['nope.shop.svc.clusterset.local', [], ['Query']],
    // Split in parts (§5.3): that cluster's head and parts are read as its GetItem lookup does.
    [BIG, [big], ['Query', 'GetItem', 'BatchGetItem']],
    ['.edge-dns/serial', [], []],
  ];
  for (const [name, want, reads] of rows) {
    seen.length = 0;
    assert.deepEqual(await reader.lookupAll(name), want, name);
    assert.deepEqual(seen, reads, `${name}: reads`);
  }
  seen.length = 0;
  const serials = await reader.readSerials();
  assert.deepEqual(seen, ['BatchGetItem']);
  for (const c of ['west', 'east']) {
    const one = new DynamoDbStore({ client: sdkReads(db.client), table: db.table, cluster: c });
    assert.equal(serials.get(c), await one.readSerial(), c);
  }
  assert.deepEqual([...serials.keys()], ['west', 'east']);
});

test('a Query that fails is StoreUnavailableError (SERVFAIL, never NXDOMAIN)', async () => {
  const reader = new DynamoDbQueryReader({
    client: sdkReads({ send: (async () => Promise.reject(new Error('down'))) as never }),
    table: db.table,
    clusters: ['east'],
  });
  await assert.rejects(reader.lookupAll(WEB), StoreUnavailableError);
  await assert.rejects(reader.readSerials(), StoreUnavailableError);
});
