// dynalite (a DynamoDB-API server, in memory) in this process on 127.0.0.1, with the edge-dns table
// created from codec.ts tableDefinition, and a real AWS SDK client pointed at it. Shared by the
// DynamoDB tests and benchmarks.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tableDefinition } from '../../functions/store/dynamodb/codec.ts';

// The SDK warns on every client under Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface Dynalite {
  client: DynamoDBClient;
  endpoint: string;
  table: string;
  /** Another client on the same endpoint (e.g. with other retry settings). */
  newClient(maxAttempts?: number): DynamoDBClient;
  /** Stops the server, keeping the clients: later calls fail as against a DynamoDB gone away. */
  stop(): Promise<void>;
  /** Stops the server and destroys the clients. */
  close(): Promise<void>;
}

export interface DynaliteOptions {
  table?: string;
  /**
   * SDK tries per call (default 1: the code under test does its own retries, and a stopped
   * server fails at once instead of after the SDK's backoff).
   */
  maxAttempts?: number;
  /** Create the table (default true); false leaves it to the code under test. */
  createTable?: boolean;
  /** How long dynalite reports a new table CREATING (default 0: one timer tick). */
  createTableMs?: number;
}

export async function startDynalite(opts: DynaliteOptions = {}): Promise<Dynalite> {
  const createTableMs = opts.createTableMs ?? 0;
  const server = dynalite({ createTableMs, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const newClient = (maxAttempts = opts.maxAttempts ?? 1): DynamoDBClient => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  const table = opts.table ?? 'edge-dns';
  if (opts.createTable ?? true) {
    await client.send(new CreateTableCommand(tableDefinition(table)));
    await untilActive(client, table);
  }
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return {
    client,
    endpoint,
    table,
    newClient,
    stop,
    close: async () => {
      for (const c of clients) c.destroy();
      await stop();
    },
  };
}

/** dynalite answers CREATING for createTableMs (0 here: one timer tick), then ACTIVE. */
async function untilActive(client: DynamoDBClient, table: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((x) => x.IndexStatus === 'ACTIVE')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`dynalite: table ${table} never became ACTIVE`);
}
