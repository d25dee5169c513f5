// The DynamoDB store for ONE cluster (docs/architecture.md §1: the edge reads DynamoDB).
// A lookup is one GetItem (eventually consistent, AWS "Read consistency"); only a node stored in
// parts (codec.ts "Item-size strategy") needs a BatchGetItem more. Any failure to read or decode
// is StoreUnavailableError, so the resolver answers SERVFAIL, never NXDOMAIN from data it could
// not read.
import type { NameNode } from '../../core/record.ts';
import { StoreUnavailableError, type Store } from '../../core/store.ts';
import {
  CorruptItemError,
  decodeNode,
  isInternalName,
  itemKey,
  partKeys,
  readHead,
  type Head,
  type Item,
} from './codec.ts';
import { changeLogKeys, joinChangeLogs } from './codec-change-log.ts';
import { readSerialMarker, serialMarkerKey } from './codec-serial.ts';
import type { DynamoDbReads } from './reads.ts';
import { isRecordItemName } from './codec-record-items.ts';

export interface DynamoDbStoreOptions {
  /** The reads: the SDK client (sdk-reads.ts) or a signed fetch (http-reads.ts, the edge). */
  client: DynamoDbReads;
  table: string;
  cluster: string;
}

/** BatchGetItem rounds in a row that may return nothing before the read is given up. */
const STALLED_ROUNDS = 3;

export class DynamoDbStore implements Store {
  #client: DynamoDbReads;
  #table: string;
  #cluster: string;
  #serial = 0;
  version = 0;

  constructor(opts: DynamoDbStoreOptions) {
    this.#client = opts.client;
    this.#table = opts.table;
    this.#cluster = opts.cluster;
  }

  /** The largest serial seen on an item: the serial the sync wrote its newest items with. */
  serial(): number {
    return this.#serial;
  }

  async lookup(name: string): Promise<NameNode | undefined> {
    // '' (the root) cannot be a key; names starting with '.' are parts and markers, not owners
    // (a query label may hold a '.' byte, so such a name can reach us: it does not exist).
    // Record items (codec-record-items.ts) are internal keys the edge reads too.
    if (name === '' || (isInternalName(name) && !isRecordItemName(name))) return undefined;
    try {
      let head = await this.#head(name);
      if (!head) return undefined;
      if (head.parts === 0) return this.#seen(head, decodeNode(head));
      let parts = await this.#parts(head);
      if (!parts) {
        // The writer replaced the node between our two reads and removed the old parts: the new
        // head names the new ones (codec.ts: parts are keyed by content hash).
        head = await this.#head(name);
        if (!head) return undefined;
        parts = head.parts === 0 ? [] : await this.#parts(head);
        if (!parts) throw new StoreUnavailableError(`${name}: parts of ${head.hash} missing`);
      }
      return this.#seen(head, decodeNode(head, parts));
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      const why = e instanceof CorruptItemError ? `corrupt item: ${e.message}` : describe(e);
      throw new StoreUnavailableError(`DynamoDB ${this.#table} lookup ${name}: ${why}`, {
        cause: e,
      });
    }
  }

  /**
   * The cluster's change counter (codec-serial.ts), for the edge cache's serial check
   * (functions/store/serial-watch.ts); undefined when the sync does not write one (an older sync).
   * A strongly consistent read (AWS "Read consistency"): it reflects every bump that completed
   * before it, so a value once seen is never followed by an older one. Throws
   * StoreUnavailableError when it cannot be read.
   */
  async readSerial(): Promise<number | undefined> {
    try {
      const out = await this.#client.getItem({
        TableName: this.#table,
        Key: serialMarkerKey(this.#cluster),
        ConsistentRead: true,
      });
      return readSerialMarker(out.Item);
    } catch (e) {
      const why = e instanceof CorruptItemError ? `corrupt item: ${e.message}` : describe(e);
      throw new StoreUnavailableError(`DynamoDB ${this.#table} serial marker: ${why}`, {
        cause: e,
      });
    }
  }

  /**
   * The owner names the sync changed between counter values `after` and `upTo` (its change log,
   * codec-change-log.ts): one BatchGetItem, strongly consistent (a log item is written before the
   * counter names it). Undefined when they cannot be known name by name: the move is longer than
   * the log kept, an item is missing, or one says everything changed. Throws
   * StoreUnavailableError when the log cannot be read.
   */
  async readChanges(after: number, upTo: number): Promise<string[] | undefined> {
    const keys = changeLogKeys(this.#cluster, after, upTo);
    if (!keys) return undefined;
    try {
      return joinChangeLogs(after, upTo, await this.#batchGet(keys, true, 'change log items'));
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      const why = e instanceof CorruptItemError ? `corrupt item: ${e.message}` : describe(e);
      throw new StoreUnavailableError(
        `DynamoDB ${this.#table} change log ${after}..${upTo}: ${why}`,
        { cause: e },
      );
    }
  }

  async #head(name: string): Promise<Head | undefined> {
    const out = await this.#client.getItem({
      TableName: this.#table,
      Key: itemKey(name, this.#cluster),
      ConsistentRead: false,
    });
    return out.Item ? readHead(out.Item) : undefined;
  }

  /** The head's parts in order, or undefined when one is missing. */
  async #parts(head: Head): Promise<Uint8Array[] | undefined> {
    const byName = new Map<string, Uint8Array>();
    for (const item of await this.#batchGet(partKeys(head), false, `${head.name}: parts`)) {
      const key = item.name?.S;
      const body = item.body?.B;
      if (key === undefined || !body)
        throw new CorruptItemError(`part of ${head.name} without a body`);
      byName.set(key, body);
    }
    const parts = partKeys(head).map((k) => byName.get(k.name!.S!));
    return parts.every((p) => p !== undefined) ? (parts as Uint8Array[]) : undefined;
  }

  /** The items of `keys` that exist, in any order. */
  async #batchGet(keys: Item[], consistent: boolean, what: string): Promise<Item[]> {
    const found: Item[] = [];
    for (let stalled = 0; keys.length > 0;) {
      // BatchGetItem: at most 100 keys, and it returns UnprocessedKeys past 16 MB (AWS API reference).
      const batch = keys.slice(0, 100);
      const out = await this.#client.batchGetItem({
        RequestItems: { [this.#table]: { Keys: batch, ConsistentRead: consistent } },
      });
      const items = out.Responses?.[this.#table] ?? [];
      found.push(...items);
      const unprocessed = out.UnprocessedKeys?.[this.#table]?.Keys ?? [];
      stalled = items.length === 0 && unprocessed.length > 0 ? stalled + 1 : 0;
      if (stalled >= STALLED_ROUNDS) throw new StoreUnavailableError(`${what} stay unprocessed`);
      keys = [...unprocessed, ...keys.slice(100)];
    }
    return found;
  }

  #seen(head: Head, node: NameNode): NameNode {
    if (head.serial > this.#serial) {
      this.#serial = head.serial;
      this.version++;
    }
    return node;
  }
}

function describe(e: unknown): string {
  if (e instanceof Error)
    return `${e.name}: ${e.message || (e as { code?: string }).code || 'no message'}`;
  return String(e);
}
