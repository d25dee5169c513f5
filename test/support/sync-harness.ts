// The sync wired as in production, in this process: the real client-node watching the test API
// server, publishing to dynalite through the DynamoDB writer, and (through its own watch) to a
// memory store as the container does. `verify()` checks every store against the builder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NameNode } from '../../functions/core/record.ts';
import { contentHash } from '../../functions/store/dynamodb/codec.ts';
import { DynamoDbStore } from '../../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../../functions/store/dynamodb/sdk-reads.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import { MemoryWriter, memoryNodeHash } from '../../functions/store/memory-writer.ts';
import { buildCluster } from '../../sync/records/cluster.ts';
import { defaultBuildOptions, type BuildOptions } from '../../sync/records/options.ts';
import { objectSchemas, type ClusterObjects, type ObjectKind } from '../../sync/kube/objects.ts';
import { LiveSync } from '../../sync/live/live-sync.ts';
import { MutableSource } from './mutable-source.ts';
import { DynamoDbWriter } from '../../sync/write/dynamodb-writer.ts';
import type { Dynalite } from './dynalite.ts';
import type { KubeApiServer } from './kube-api-server.ts';
import type { Json } from './kube-objects.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './container.ts';

const fastWatch = { backoffMs: { initial: 5, max: 50 }, idleTimeoutMs: 5_000 };
const quiet = () => {};

export interface SyncUnderTest {
  live: LiveSync;
  writer: DynamoDbWriter;
  reader: DynamoDbStore;
}

/** A sync of `cluster` from `api` into the dynalite table; `send` may wrap the client (faults). */
export function dynamoSync(
  api: KubeApiServer,
  db: Dynalite,
  cluster: string,
  send?: DynamoDBClient['send'],
  build: BuildOptions = defaultBuildOptions,
): SyncUnderTest {
  const client = send ? ({ send } as DynamoDBClient) : db.client;
  const writer = new DynamoDbWriter({
    client,
    table: db.table,
    cluster,
    retry: { attempts: 3, baseMs: 1, maxMs: 5 },
  });
  const live = new LiveSync({
    kubeConfig: api.kubeConfig(),
    build,
    writer,
    hash: contentHash,
    log: quiet,
    watch: fastWatch,
  });
  return {
    live,
    writer,
    reader: new DynamoDbStore({ client: sdkReads(db.client), table: db.table, cluster }),
  };
}

/** The container's path: a watch feeding a memory store. */
export function memorySync(
  api: KubeApiServer,
  build: BuildOptions = defaultBuildOptions,
): { live: LiveSync; store: MemoryStore } {
  const store = new MemoryStore();
  let serial = 0;
  const live = new LiveSync({
    kubeConfig: api.kubeConfig(),
    build,
    writer: new MemoryWriter(store, () => ++serial),
    hash: memoryNodeHash,
    log: quiet,
    watch: fastWatch,
  });
  return { live, store };
}

/** What the cluster holds, as the test made it: changes go to the API server and here. */
export class Cluster {
  readonly model = new MutableSource();
  constructor(readonly api: KubeApiServer) {}

  apply(kind: ObjectKind, obj: Json): void {
    this.api.apply(kind, obj);
    this.model.put(kind, objectSchemas[kind].parse(obj));
  }

  remove(kind: ObjectKind, namespace: string, name: string): void {
    this.api.remove(kind, namespace, name);
    this.model.remove(kind, namespace ? `${namespace}/${name}` : name);
  }

  objects(): ClusterObjects {
    return this.model.snapshot();
  }

  /** Every object of the sample cluster (test/fixtures/sample-cluster.json), in the API and the model. */
  seedSample(): void {
    const list = JSON.parse(readFileSync(join(REPO_ROOT, SAMPLE_CLUSTER), 'utf8')) as {
      items: (Json & { kind: ObjectKind })[];
    };
    for (const item of list.items) this.apply(item.kind, item);
  }
}

const print = (objects: ClusterObjects, build: BuildOptions) =>
  JSON.stringify([...buildCluster(objects, build)]);

/** Resolves once `live` has seen everything `cluster` holds and published it. */
export async function caughtUp(
  live: LiveSync,
  cluster: Cluster,
  build: BuildOptions = defaultBuildOptions,
  timeoutMs = 10_000,
): Promise<void> {
  const want = print(cluster.objects(), build);
  await live.watch.synced;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`watch did not catch up in ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (print(live.watch.snapshot(), build) !== want) return;
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = live.watch.onChange(check);
    check();
  });
  await live.settled();
}

/** Every name the builder says exists reads the same from each store; nothing else is stored. */
export async function verify(
  cluster: Cluster,
  stores: { dynamo?: SyncUnderTest; memory?: MemoryStore },
  build: BuildOptions = defaultBuildOptions,
): Promise<Map<string, NameNode>> {
  const expected = buildCluster(cluster.objects(), build);
  if (stores.dynamo) {
    const owned = await stores.dynamo.writer.listOwned();
    assert.deepEqual(
      [...owned.keys()].sort(),
      [...expected.keys()].sort(),
      'DynamoDB holds exactly the names the builder makes',
    );
    for (const [name, node] of expected) {
      assert.deepEqual(await stores.dynamo.reader.lookup(name), node, `DynamoDB reader: ${name}`);
      assert.equal(owned.get(name), contentHash(node), `DynamoDB hash: ${name}`);
    }
  }
  if (stores.memory) {
    assert.deepEqual(
      [...stores.memory.names()].sort(),
      [...expected.keys()].sort(),
      'memory store holds exactly the names the builder makes',
    );
    for (const [name, node] of expected)
      assert.deepEqual(stores.memory.lookup(name), node, `memory store: ${name}`);
  }
  return expected;
}
