// The change signal of the sync's DynamoDB writer (dynamodb-writer.ts, after the items of an
// apply()): a change-log item naming the owner names written (codec-change-log.ts), then the
// cluster's change counter moved to that item's value (codec-serial.ts), so that an edge that sees
// the new value finds which names changed, and reads them at least that new.
//
// The value: one more than the counter read (strongly consistent) and than any log item known.
// - The log item is put only if absent or this writer's own (its random id): a value is never
//   claimed twice, and a retry of our own put after a lost answer succeeds.
// - The counter is set on the condition that it still holds the value read; when another writer
//   moved it, the counter is read again and the names signalled under a new value (our item
//   stays: an edge reading it revalidates names that were written, which is harmless). The Lease
//   and the fence keep a second writer rare (dynamodb-writer.ts "Ownership").
// - Names that could not be signalled are carried into the next signal (with our item's value
//   while the counter has not passed it); the writer also reports them failed, so the reconciler
//   writes them again.
// - A writer's first signal says everything changed: a writer before it may have stopped between
//   its items and its signal, and the names it wrote may never be written again.
// - One signal at a time per writer (applies that overlap queue here): two would compute the same
//   value, and the second's put, being ours, would replace the first's names.
import { randomUUID } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CHANGE_LOG_KEEP, changeLogItem } from '../../functions/store/dynamodb/codec-change-log.ts';
import {
  readSerialMarker,
  serialMarkerKey,
  serialMarkerSet,
} from '../../functions/store/dynamodb/codec-serial.ts';

/** Tries before a signal is given up (each a counter read that found it moved, or a value taken). */
const ATTEMPTS = 5;

export interface ChangeSignalOptions {
  client: Pick<DynamoDBClient, 'send'>;
  table: string;
  cluster: string;
  /** This writer's id in its log items; random by default. */
  id?: string;
}

export class ChangeSignal {
  readonly #o: ChangeSignalOptions;
  readonly #id: string;
  /** The counter as last read or set; 0: no marker; undefined: read it first. */
  #counter: number | undefined;
  /** Log items known to be stored (listed, or put by us), for pruning. */
  readonly #logs = new Set<number>();
  #maxLog = 0;
  /** Names not signalled yet, and the value of our log item holding them, once put. */
  #pending: { names: Set<string> | 'all'; value?: number } | undefined;
  #signalled = false;
  /** The signal in progress: the next waits for it. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ChangeSignalOptions) {
    this.#o = options;
    this.#id = options.id ?? randomUUID();
  }

  /** Log items found stored (listOwned). */
  learn(values: Iterable<number>): void {
    for (const v of values) this.#known(v);
  }

  /** Log items to delete: those CHANGE_LOG_KEEP or more values behind the counter (before it is
   *  read: behind the newest log item, which the counter names unless a signal was cut short). */
  prunable(): number[] {
    const newest = this.#counter ?? this.#maxLog;
    return [...this.#logs].filter((v) => v <= newest - CHANGE_LOG_KEEP);
  }

  pruned(values: Iterable<number>): void {
    for (const v of values) this.#logs.delete(v);
  }

  /** Signals that `names` were written; a reason when it could not (they are carried over). */
  signal(names: Iterable<string>, serial: number): Promise<string | undefined> {
    const done = this.#queue.then(() => this.#signal([...names], serial));
    this.#queue = done;
    return done;
  }

  /** Never rejects. */
  async #signal(names: string[], serial: number): Promise<string | undefined> {
    const carried = this.#pending?.names;
    const all = !this.#signalled || carried === 'all';
    const pending = {
      ...this.#pending,
      names: all ? ('all' as const) : new Set([...(carried ?? []), ...names]),
    };
    this.#pending = pending;
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const from = this.#counter ?? (this.#counter = await this.#read());
        const value =
          pending.value !== undefined && pending.value > from
            ? pending.value
            : Math.max(from, this.#maxLog) + 1;
        const claimed = await this.#putLog(value, pending.names);
        this.#known(value);
        if (!claimed) {
          this.#counter = undefined;
          continue;
        }
        pending.value = value;
        if (!(await this.#set(from, value, serial))) {
          this.#counter = undefined;
          continue;
        }
        this.#counter = value;
        this.#pending = undefined;
        this.#signalled = true;
        return undefined;
      }
      return `the counter kept moving or its values were taken (${ATTEMPTS} tries): another writer?`;
    } catch (e) {
      this.#counter = undefined;
      return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }

  #known(value: number): void {
    this.#logs.add(value);
    this.#maxLog = Math.max(this.#maxLog, value);
  }

  async #read(): Promise<number> {
    const out = await this.#o.client.send(
      new GetItemCommand({
        TableName: this.#o.table,
        Key: serialMarkerKey(this.#o.cluster),
        ConsistentRead: true,
      }),
    );
    return readSerialMarker(out.Item) ?? 0;
  }

  /** False when another writer's item holds `value`. */
  async #putLog(value: number, names: Set<string> | 'all'): Promise<boolean> {
    return this.#conditional(
      new PutItemCommand({
        TableName: this.#o.table,
        Item: changeLogItem(this.#o.cluster, value, names, this.#id),
        ConditionExpression: 'attribute_not_exists(#n) OR #w = :w',
        ExpressionAttributeNames: { '#n': 'name', '#w': 'writer' },
        ExpressionAttributeValues: { ':w': { S: this.#id } },
      }),
    );
  }

  /** False when the counter no longer holds `from`. */
  async #set(from: number, to: number, serial: number): Promise<boolean> {
    return this.#conditional(
      new UpdateItemCommand({
        TableName: this.#o.table,
        ...serialMarkerSet(this.#o.cluster, from, to, serial),
      }),
    );
  }

  async #conditional(command: PutItemCommand | UpdateItemCommand): Promise<boolean> {
    try {
      await this.#o.client.send(command as PutItemCommand);
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }
}
