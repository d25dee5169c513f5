// The sync's DynamoDB writer: whole NameNodes put and deleted for ONE cluster (codec.ts for the
// table and item layout).
//
// Ownership. BatchWriteItem cannot carry a condition (AWS API reference: "You can't specify
// conditions on individual put and delete requests"), so ownership does not come from conditions:
// 1. key isolation: every key this writer builds (heads, parts, the fence and serial markers, the
//    change log) has sort key = its own cluster id, so another cluster's items are other keys,
//    out of its reach;
// 2. the fence, against two replicas of one cluster's sync (split brain): fence(holder, term) is a
//    conditional PutItem on the marker (FENCE_NAME, cluster) that holds only while no newer term
//    was written, and apply() re-asserts it before writing; once it fails, apply() refuses.
//    The Lease of the sync's leader election is the primary guard; the fence narrows a stale
//    leader's window to one apply().
//
// A node in parts is written in three steps (codec.ts): new parts, then the head, then the old
// generation's parts deleted. A step that fails for a name stops that name; it is reported.
//
// Change signal (change-signal.ts): after an apply() that wrote (or tried to), a change-log item
// naming the owner names put or deleted, then the cluster's change counter moved to its value
// (codec-change-log.ts, codec-serial.ts), after the items, so an edge that sees the new value
// reads items at least that new and knows which names changed. If the signal fails, the names are
// reported failed: the reconciler writes them again and the retry signals them, so no change stays
// unsignalled. Log items older than the last CHANGE_LOG_KEEP are deleted with the stale parts.
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  encodeNode,
  FENCE_NAME,
  isInternalName,
  itemKey,
  type EncodedNode,
} from '../../functions/store/dynamodb/codec.ts';
import {
  changeLogName,
  parseChangeLogName,
} from '../../functions/store/dynamodb/codec-change-log.ts';
import { defaultRetry, retryProblems, type RetryPolicy } from '../retry/backoff.ts';
import {
  writeAll,
  type BatchWriteDeps,
  type OwnedRequest,
  type WriteStats,
} from './batch-write.ts';
import { ChangeSignal } from './change-signal.ts';
import { listOwnedItems } from './owned-listing.ts';
import type { ApplyResult, StoreChange, StoreWriter } from './store-writer.ts';

export type { ApplyResult, StoreChange };

export interface DynamoDbWriterOptions {
  client: Pick<DynamoDBClient, 'send'>;
  table: string;
  cluster: string;
  /** SOA serial for the items of one apply(); default: unix seconds, kept increasing. */
  serial?: () => number;
  retry?: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Body bytes per item before a node is split (codec.ts PART_BYTES); smaller in tests. */
  partBytes?: number;
  /** BatchWriteItem calls in flight (default 4). */
  concurrency?: number;
  /** This writer's id in its change-log items (change-signal.ts); random by default. */
  id?: string;
  /** Told of BatchWriteItem calls retried (sync/metrics/). */
  stats?: WriteStats;
}

export class DynamoDbWriter implements StoreWriter {
  #opts: DynamoDbWriterOptions;
  #deps: BatchWriteDeps;
  #serial: () => number;
  /** Owner name -> part items known to be stored (from listOwned and our own writes). */
  #parts = new Map<string, Set<string>>();
  #listed = false;
  #fence: { holder: string; term: number } | undefined;
  #refused: string | undefined;
  #signal: ChangeSignal;

  constructor(opts: DynamoDbWriterOptions) {
    const retry = opts.retry ?? defaultRetry;
    const problems = retryProblems(retry);
    if (problems.length > 0) throw new Error(`DynamoDbWriter retry: ${problems.join('; ')}`);
    if (!opts.cluster || isInternalName(opts.cluster))
      throw new Error(`DynamoDbWriter: bad cluster id ${JSON.stringify(opts.cluster)}`);
    this.#opts = opts;
    this.#signal = new ChangeSignal({
      client: opts.client,
      table: opts.table,
      cluster: opts.cluster,
      ...(opts.id !== undefined && { id: opts.id }),
    });
    let last = 0;
    this.#serial =
      opts.serial ?? (() => (last = Math.max(Math.floor(Date.now() / 1000), last + 1)));
    this.#deps = {
      client: opts.client,
      table: opts.table,
      retry,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      log: opts.log ?? (() => {}),
      concurrency: opts.concurrency ?? 4,
      ...(opts.stats && { stats: opts.stats }),
    };
  }

  /** Everything this cluster owns: owner name -> content hash (GSI query, paged). */
  async listOwned(): Promise<Map<string, string>> {
    const listing = await listOwnedItems(this.#opts.client, this.#opts.table, this.#opts.cluster);
    // The GSI is eventually consistent: keep parts we wrote that it does not show yet.
    for (const [owner, names] of listing.parts)
      this.#parts.set(owner, new Set([...(this.#parts.get(owner) ?? []), ...names]));
    this.#signal.learn(listing.logs);
    this.#listed = true;
    return listing.hashes;
  }

  /** Puts and deletes; what still fails after the retries is in `failed`, never dropped. */
  async apply(change: StoreChange): Promise<ApplyResult> {
    const failed = new Map<string, string>();
    const refusal = (await this.#assertFence()) ?? (await this.#learnParts());
    if (refusal) {
      for (const name of [...change.put.map((n) => String(n?.name)), ...change.delete])
        failed.set(name, refusal);
      this.#deps.log(`dynamodb: apply refused: ${refusal}`);
      return { written: [], failed: report(failed) };
    }
    const serial = this.#serial();
    const puts = new Map<string, EncodedNode>();
    const deletes = new Set<string>();
    const deleting = new Set(change.delete);
    for (const node of change.put) {
      const name = String(node?.name);
      if (deleting.has(name)) failed.set(name, 'both put and deleted in one change');
      else {
        try {
          puts.set(name, encodeNode(node, this.#opts.cluster, serial, this.#opts.partBytes));
        } catch (e) {
          failed.set(name, `cannot store: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    for (const name of deleting) {
      if (typeof name !== 'string' || name === '' || isInternalName(name))
        failed.set(String(name), 'not an owner name');
      else if (!failed.has(name)) deletes.add(name);
    }
    const ok = (name: string) => !failed.has(name);
    const record = (failures: Map<string, string>) =>
      failures.forEach((e, name) => failed.has(name) || failed.set(name, e));
    const cluster = this.#opts.cluster;
    const put = (owner: string, item: OwnedRequest['request']['PutRequest']): OwnedRequest => ({
      owner,
      request: { PutRequest: item },
    });
    const del = (owner: string, key: string): OwnedRequest => ({
      owner,
      request: { DeleteRequest: { Key: itemKey(key, cluster) } },
    });

    const newParts = new Map([...puts].map(([name, e]) => [name, e.parts.map((p) => p.name!.S!)]));
    for (const name of puts.keys()) this.#remember(name, newParts.get(name)!);
    // 1. New parts, so that no head ever names a part that is not there yet.
    record(
      await writeAll(
        this.#deps,
        [...puts].flatMap(([name, e]) => e.parts.map((p) => put(name, { Item: p }))),
      ),
    );
    // 2. Heads: put, or delete.
    record(
      await writeAll(this.#deps, [
        ...[...puts].filter(([name]) => ok(name)).map(([name, e]) => put(name, { Item: e.head })),
        ...[...deletes].map((name) => del(name, name)),
      ]),
    );
    // 3. Parts no head names any more, and change-log items past the ones kept.
    const done = [...puts.keys(), ...deletes].filter(ok);
    const keep = new Map(done.map((name) => [name, new Set(newParts.get(name) ?? [])]));
    const stale = done.flatMap((name) =>
      [...(this.#parts.get(name) ?? [])]
        .filter((p) => !keep.get(name)!.has(p))
        .map((p) => del(name, p)),
    );
    const oldLogs = this.#signal.prunable().map(changeLogName);
    const staleFailed = await writeAll(this.#deps, [
      ...stale,
      ...oldLogs.map((key) => del(key, key)),
    ]);
    for (const [name, e] of staleFailed)
      if (!isInternalName(name)) failed.set(name, `stale parts left: ${e}`);
    this.#signal.pruned(
      oldLogs.filter((key) => !staleFailed.has(key)).map((key) => parseChangeLogName(key)!),
    );
    for (const name of done) if (ok(name)) this.#forgetStale(name, keep.get(name)!);
    // 4. The change signal, once anything may have been written (a failed batch may be partly done).
    if (puts.size + deletes.size > 0) {
      const unsignalled = await this.#signal.signal([...puts.keys(), ...deletes], serial);
      if (unsignalled) {
        const why = `written, but the serial marker was not bumped (edges would not see it before their cache TTL): ${unsignalled}`;
        this.#deps.log(`dynamodb: ${why}`);
        for (const name of [...puts.keys(), ...deletes]) if (ok(name)) failed.set(name, why);
      }
    }
    return { written: done.filter(ok), failed: report(failed) };
  }

  /**
   * Fencing for split brain between two replicas of this cluster's sync: a conditional PutItem
   * on the marker that succeeds only if the stored term is lower, or equal with the same holder.
   * False (and apply() refuses) when a newer term holds it; throws (and apply() refuses) when
   * DynamoDB could not be asked.
   */
  async fence(holder: string, term: number): Promise<boolean> {
    if (!holder || !Number.isSafeInteger(term) || term < 0)
      throw new Error(`fence: bad holder ${JSON.stringify(holder)} or term ${term}`);
    this.#fence = { holder, term };
    this.#refused = 'fence not confirmed yet';
    this.#refused = await this.#putFence(holder, term);
    return this.#refused === undefined;
  }

  /** Before each apply(): a lost fence stays lost; an unconfirmed one refuses this apply only. */
  async #assertFence(): Promise<string | undefined> {
    if (this.#refused) return this.#refused;
    if (!this.#fence) return undefined;
    try {
      return (this.#refused = await this.#putFence(this.#fence.holder, this.#fence.term));
    } catch (e) {
      return `fence not confirmed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
  }

  async #putFence(holder: string, term: number): Promise<string | undefined> {
    try {
      await this.#opts.client.send(
        new PutItemCommand({
          TableName: this.#opts.table,
          Item: {
            ...itemKey(FENCE_NAME, this.#opts.cluster),
            holder: { S: holder },
            term: { N: String(term) },
          },
          ConditionExpression: 'attribute_not_exists(#n) OR #t < :t OR (#t = :t AND #h = :h)',
          ExpressionAttributeNames: { '#n': 'name', '#t': 'term', '#h': 'holder' },
          ExpressionAttributeValues: { ':t': { N: String(term) }, ':h': { S: holder } },
        }),
      );
      return undefined;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') {
        this.#deps.log(`dynamodb: fence lost: ${holder} term ${term} is older than the stored one`);
        return `fenced out: a newer term than ${term} holds ${this.#opts.cluster}`;
      }
      throw e;
    }
  }

  /** Old parts must be known to be deleted: the first apply() lists what the cluster owns. */
  async #learnParts(): Promise<string | undefined> {
    if (this.#listed) return undefined;
    try {
      await this.listOwned();
      return undefined;
    } catch (e) {
      return `cannot list owned items: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
  }

  #remember(name: string, parts: string[]): void {
    if (parts.length === 0) return;
    const set = this.#parts.get(name) ?? new Set<string>();
    for (const p of parts) set.add(p);
    this.#parts.set(name, set);
  }

  #forgetStale(name: string, keep: Set<string>): void {
    if (keep.size === 0) this.#parts.delete(name);
    else this.#parts.set(name, keep);
  }
}

function report(failed: Map<string, string>): ApplyResult['failed'] {
  return [...failed].map(([name, error]) => ({ name, error }));
}
