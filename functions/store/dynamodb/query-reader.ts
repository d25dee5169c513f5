// Every cluster's item of one name in one read (docs/architecture.md §5.8): a Query on the
// partition key (`name = :n`, eventually consistent like reader.ts's GetItem) returns each
// cluster's head of that name; the heads of the clusters asked for are decoded, in their order. A
// head stored in parts (§5.3) is read again by that cluster's reader (GetItem, then its parts),
// which checks the generation as it does for any lookup. The clusters' change counters are read
// together with one strongly consistent BatchGetItem. Any failure is StoreUnavailableError.
import type { NameNode } from '../../core/record.ts';
import { StoreUnavailableError } from '../../core/store.ts';
import { CorruptItemError, decodeNode, isInternalName, readHead, type Item } from './codec.ts';
import { readSerialMarker, serialMarkerKey } from './codec-serial.ts';
import type { DynamoDbReads } from './reads.ts';
import { DynamoDbStore } from './reader.ts';

export interface QueryReaderOptions {
  client: DynamoDbReads;
  table: string;
  /** The clusters whose items count, in the order their nodes are returned. */
  clusters: readonly string[];
}

/** Rounds of BatchGetItem returning nothing but unprocessed keys before the read gives up. */
const STALLED_ROUNDS = 3;

export class DynamoDbQueryReader {
  readonly #client: DynamoDbReads;
  readonly #table: string;
  readonly #clusters: readonly string[];
  /** Per cluster: its reader, for heads in parts and its change log. */
  readonly #single = new Map<string, DynamoDbStore>();
  #serial = 0;
  version = 0;

  constructor(o: QueryReaderOptions) {
    this.#client = o.client;
    this.#table = o.table;
    this.#clusters = o.clusters;
    for (const cluster of o.clusters)
      this.#single.set(cluster, new DynamoDbStore({ client: o.client, table: o.table, cluster }));
  }

  /** The largest serial seen on a head (reader.ts `serial`). */
  serial(): number {
    return this.#serial;
  }

  /** The nodes of `name` the clusters hold, in the clusters' order; [] when none does. */
  async lookupAll(name: string): Promise<NameNode[]> {
    if (name === '' || isInternalName(name)) return [];
    try {
      const byCluster = new Map<string, Item>();
      let start: Item | undefined;
      do {
        const out = await this.#client.query({
          TableName: this.#table,
          KeyConditionExpression: '#n = :n',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': { S: name } },
          ConsistentRead: false,
          ...(start && { ExclusiveStartKey: start }),
        });
        for (const item of out.Items ?? []) {
          const cluster = item.cluster?.S;
          if (cluster !== undefined && this.#single.has(cluster)) byCluster.set(cluster, item);
        }
        start = out.LastEvaluatedKey;
      } while (start);
      const nodes = await Promise.all(
        this.#clusters.map((c) => {
          const item = byCluster.get(c);
          return item ? this.#node(c, item) : undefined;
        }),
      );
      return nodes.filter((n): n is NameNode => n !== undefined);
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      throw new StoreUnavailableError(`DynamoDB ${this.#table} query ${name}: ${describe(e)}`, {
        cause: e,
      });
    }
  }

  /** Each cluster's change counter (codec-serial.ts; undefined: none written), one read. */
  async readSerials(): Promise<Map<string, number | undefined>> {
    const found = new Map<string, number | undefined>(this.#clusters.map((c) => [c, undefined]));
    try {
      let keys = this.#clusters.map(serialMarkerKey);
      for (let stalled = 0; keys.length > 0;) {
        const out = await this.#client.batchGetItem({
          RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } },
        });
        const items = out.Responses?.[this.#table] ?? [];
        for (const item of items) {
          const cluster = item.cluster?.S;
          if (cluster !== undefined && found.has(cluster))
            found.set(cluster, readSerialMarker(item));
        }
        keys = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        stalled = items.length === 0 && keys.length > 0 ? stalled + 1 : 0;
        if (stalled >= STALLED_ROUNDS) throw new Error('serial markers stay unprocessed');
      }
      return found;
    } catch (e) {
      throw new StoreUnavailableError(`DynamoDB ${this.#table} serial markers: ${describe(e)}`, {
        cause: e,
      });
    }
  }

  /** The names `cluster`'s change log says changed after..upTo (reader.ts `readChanges`). */
  readChanges(cluster: string, after: number, upTo: number): Promise<string[] | undefined> {
    const single = this.#single.get(cluster);
    return single ? single.readChanges(after, upTo) : Promise.resolve(undefined);
  }

  async #node(cluster: string, item: Item): Promise<NameNode | undefined> {
    const head = readHead(item);
    if (head.serial > this.#serial) {
      this.#serial = head.serial;
      this.version++;
    }
    if (head.parts === 0) return decodeNode(head);
    return this.#single.get(cluster)!.lookup(head.name);
  }
}

function describe(e: unknown): string {
  if (e instanceof CorruptItemError) return `corrupt item: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message || 'no message'}`;
  return String(e);
}
