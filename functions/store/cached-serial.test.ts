// CachedStore with serial validation (serial-watch.ts): read counts, single flight, stale-on-error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { CachedStore, DEFAULT_RECHECK_MS } from './cached.ts';

const TTL = 30_000;
const node = (name: string, ip = '10.0.0.1'): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [ip] }],
});
const A = 'a.ns.svc.cluster.local';
const B = 'b.ns.svc.cluster.local';

/** Names and a change counter, as the sync publishes them; reads counted. */
class FakeTable implements Store {
  nodes = new Map<string, NameNode>([A, B].map((n) => [n, node(n)]));
  counter: number | undefined = 1;
  reads: string[] = [];
  counterReads = 0;
  failure: Error | undefined;
  counterFailure: Error | undefined;
  version = 0;

  async lookup(name: string): Promise<NameNode | undefined> {
    this.reads.push(name);
    if (this.failure) throw this.failure;
    return this.nodes.get(name);
  }

  serial(): number {
    return 1;
  }

  async readSerial(): Promise<number | undefined> {
    this.counterReads++;
    if (this.counterFailure) throw this.counterFailure;
    return this.counter;
  }

  /** What the sync's writer does: the item, then the counter. */
  publish(name: string, ip: string): void {
    this.nodes.set(name, node(name, ip));
    if (this.counter !== undefined) this.counter++;
  }
}

function setup(ttlMs = TTL) {
  const table = new FakeTable();
  const clock = { ms: 1_000_000 };
  const store = new CachedStore(table, {
    ttlMs,
    maxEntries: 100,
    now: () => clock.ms,
    serial: { read: () => table.readSerial() },
  });
  /** Lookups of `names`, `seconds` apart, the clock moving. */
  const ask = async (names: string[], seconds = 0) => {
    const out = [];
    for (const name of names) {
      out.push(await store.lookup(name));
      clock.ms += seconds * 1000;
    }
    return out;
  };
  return { table, clock, store, ask };
}

test('quiet cluster: names answer past their TTL without a read, one counter read per check', async () => {
  const { table, clock, store, ask } = setup();
  await ask([A]);
  clock.ms += 1_000;
  await ask([A, B]); // A read within the settle time: read again once, after its TTL
  clock.ms += TTL;
  await ask([A]);
  assert.deepEqual(table.reads, [A, B, A]);
  for (let i = 0; i < 600; i++) await ask([A, B], 0.5); // 10 minutes
  assert.deepEqual(table.reads, [A, B, A], 'no more data reads');
  assert.ok(
    table.counterReads <= 600 + 3 && table.counterReads >= 600,
    `${table.counterReads} counter reads in 10 minutes`,
  );
  assert.equal(store.hits, 1200 + 1);
});

test('the hit path stays synchronous between checks; a due check is awaited, single-flight', async () => {
  const { table, clock, store, ask } = setup();
  await ask([A]);
  assert.deepEqual(store.lookup(A), node(A), 'not due: an answer, not a promise');
  clock.ms += 1_000;
  const pending = Array.from({ length: 100 }, () => store.lookup(A));
  assert.ok(
    pending.every((p) => p instanceof Promise),
    'due: every lookup waits for the check',
  );
  for (const answer of await Promise.all(pending)) assert.deepEqual(answer, node(A));
  assert.equal(table.counterReads, 2);
  assert.deepEqual(table.reads, [A]);
});

test('a change shows within one check, young entries too; entries are revalidated on use, not dropped', async () => {
  const { table, clock, store, ask } = setup();
  await ask([A, B], 1);
  clock.ms += TTL;
  await ask([A, B]);
  table.reads = [];
  const version = store.version;
  table.publish(A, '10.0.0.2');
  assert.deepEqual(await ask([A]), [node(A)], 'before the next check: the cached answer');
  clock.ms += 1_000;
  assert.deepEqual(
    await ask([A]),
    [node(A, '10.0.0.2')],
    'one check later: the new answer (TTL-only: up to 30 s later)',
  );
  assert.ok(store.version > version);
  assert.equal(store.size, 2, 'B is still cached');
  assert.deepEqual(table.reads, [A], 'B is not read until asked');
  assert.deepEqual(await ask([B]), [node(B)]);
  assert.deepEqual(table.reads, [A, B], 'B was read before the change: revalidated on use');
});

test('after a change, a failed re-read answers stale (RFC 8767) and waits for the recheck time', async () => {
  const { table, clock, store, ask } = setup();
  await ask([A], 1);
  table.publish(B, '10.0.0.9');
  clock.ms += 1_000;
  table.failure = new StoreUnavailableError('DynamoDB unreachable');
  assert.deepEqual(await ask([A]), [node(A)], 'stale, after a failed read');
  assert.equal(store.staleServed, 1);
  clock.ms += 2_000;
  assert.deepEqual(await ask([A]), [node(A)]);
  assert.deepEqual(table.reads, [A, A], 'no read before the recheck time');
  clock.ms += DEFAULT_RECHECK_MS;
  table.failure = undefined;
  assert.deepEqual(await ask([A]), [node(A)]);
  assert.deepEqual(table.reads, [A, A, A]);
});

test('the counter cannot be read, or there is none (an older sync): TTL-only, and back when it returns', async () => {
  for (const broken of ['failure', 'missing'] as const) {
    const { table, clock, store, ask } = setup();
    await ask([A]);
    clock.ms += TTL;
    await ask([A]); // read again (the first read was within the settle time): now confirmed
    if (broken === 'failure') table.counterFailure = new Error('ECONNREFUSED');
    else table.counter = undefined;
    clock.ms += TTL;
    table.reads = [];
    await ask([A], 10);
    assert.deepEqual(table.reads, [A], `${broken}: past its TTL without a counter: read again`);
    await ask([A, A], 10);
    assert.deepEqual(table.reads, [A], 'young: answered from the cache');
    const checks = table.counterReads;
    await ask([A]);
    assert.equal(
      table.counterReads,
      checks + 1,
      'checked again after the recheck time, not before',
    );
    assert.deepEqual(table.reads, [A, A], 'TTL-only: read at the TTL');
    table.counterFailure = undefined;
    table.counter = 1;
    clock.ms += DEFAULT_RECHECK_MS;
    await ask([A]);
    clock.ms += 5 * TTL;
    await ask([A]);
    assert.deepEqual(
      table.reads,
      [A, A, A],
      'the counter is back, unchanged: a confirmed entry outlives its TTL again',
    );
    assert.equal(store.serialWatch?.changes, 0);
  }
});

test('a busy cluster (a change every second) reads no more than TTL-only, give or take one sweep per TTL', async (t) => {
  const names = Array.from({ length: 20 }, (_, i) => `n${i}.ns.svc.cluster.local`);
  const reads = async (serial: boolean) => {
    const { table, clock, store } = setup();
    for (const n of names) table.nodes.set(n, node(n));
    const plain = new CachedStore(table, { ttlMs: TTL, maxEntries: 100, now: () => clock.ms });
    const cache = serial ? store : plain;
    for (let second = 0; second < 300; second++) {
      table.publish(names[second % names.length]!, `10.0.${second >> 8}.${second & 255}`);
      for (let i = 0; i < 10; i++) {
        await cache.lookup(names[(second * 7 + i * i) % names.length]!);
        clock.ms += 100;
      }
    }
    return table.reads.length;
  };
  const ttlOnly = await reads(false);
  const serial = await reads(true);
  t.diagnostic(`data reads: serial ${serial}, TTL-only ${ttlOnly}`);
  assert.ok(serial <= ttlOnly + names.length, `serial ${serial} vs TTL-only ${ttlOnly} data reads`);
});

test('TTL 0 with a counter: names are read again until confirmed, then answer on the counter', async () => {
  const { table, clock, ask } = setup(0);
  await ask([A, A]);
  assert.deepEqual(table.reads, [A, A], 'within the settle time after the counter was first seen');
  clock.ms += 1_000;
  await ask([A, A, A]);
  assert.deepEqual(table.reads, [A, A, A]);
});
