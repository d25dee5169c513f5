import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../core/record.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import {
  CachedStore,
  DEFAULT_RECHECK_MS,
  DEFAULT_STALE_MS,
  type CachedStoreOptions,
} from './cached.ts';

const node = (name: string, ip = '10.0.0.1'): NameNode => ({
  name,
  sets: [{ type: 'A', ttl: 5, data: [ip] }],
});

/** An async inner store: names in a map, reads counted, failures and held reads on demand. */
class FakeStore implements Store {
  nodes = new Map<string, NameNode>();
  reads: string[] = [];
  failure: Error | undefined;
  /** While set, reads wait for it. */
  gate: Promise<void> | undefined;
  #serial = 1;
  version = 0;

  async lookup(name: string): Promise<NameNode | undefined> {
    this.reads.push(name);
    if (this.gate) await this.gate;
    if (this.failure) throw this.failure;
    return this.nodes.get(name);
  }

  serial(): number {
    return this.#serial;
  }

  bumpSerial(): void {
    this.#serial++;
  }
}

function setup(options: Partial<CachedStoreOptions> = {}) {
  const inner = new FakeStore();
  inner.nodes.set('a.ns.svc.cluster.local', node('a.ns.svc.cluster.local'));
  inner.nodes.set('b.ns.svc.cluster.local', node('b.ns.svc.cluster.local'));
  inner.nodes.set('c.ns.svc.cluster.local', node('c.ns.svc.cluster.local'));
  const clock = { ms: 1_000_000 };
  const store = new CachedStore(inner, {
    ttlMs: 10_000,
    maxEntries: 100,
    now: () => clock.ms,
    ...options,
  });
  return { inner, clock, store };
}

const A = 'a.ns.svc.cluster.local';
const MISSING = 'missing.ns.svc.cluster.local';

test('a fresh entry answers without a read, synchronously; an expired one is read again', async () => {
  const { inner, clock, store } = setup();
  assert.deepEqual(await store.lookup(A), node(A));
  assert.deepEqual(store.lookup(A), node(A), 'a hit is not a promise');
  clock.ms += 9_999;
  assert.deepEqual(store.lookup(A), node(A));
  clock.ms += 1;
  assert.deepEqual(await store.lookup(A), node(A));
  assert.deepEqual(inner.reads, [A, A]);
  assert.deepEqual(
    { hits: store.hits, misses: store.misses, reads: store.reads, staleServed: store.staleServed },
    { hits: 2, misses: 2, reads: 2, staleServed: 0 },
  );
});

test('the absent result is cached too (NXDOMAIN costs one read per TTL)', async () => {
  const { inner, store } = setup();
  assert.equal(await store.lookup(MISSING), undefined);
  assert.equal(store.lookup(MISSING), undefined);
  assert.deepEqual(inner.reads, [MISSING]);
  assert.equal(store.hits, 1);
});

test('1,000 concurrent lookups of the same miss cost one read', async () => {
  const { inner, store } = setup();
  let open!: () => void;
  inner.gate = new Promise((r) => (open = r));
  const pending = Array.from({ length: 1000 }, () => store.lookup(A));
  open();
  const answers = await Promise.all(pending);
  assert.equal(inner.reads.length, 1);
  assert.equal(store.reads, 1);
  assert.equal(store.misses, 1000);
  for (const a of answers) assert.deepEqual(a, node(A));
});

test('a failed refresh: the expired entry answers, and the name is not read again until the recheck time', async () => {
  const { inner, clock, store } = setup();
  await store.lookup(A);
  await store.lookup(MISSING);
  inner.failure = new StoreUnavailableError('DynamoDB unreachable');
  clock.ms += 60_000;
  assert.deepEqual(await store.lookup(A), node(A), 'stale, after one failed read');
  assert.equal(await store.lookup(MISSING), undefined, 'a cached NXDOMAIN stays NXDOMAIN');
  assert.equal(inner.reads.length, 4);
  clock.ms += DEFAULT_RECHECK_MS - 1;
  assert.deepEqual(store.lookup(A), node(A), 'within the recheck time: no read');
  assert.equal(inner.reads.length, 4);
  clock.ms += 1;
  assert.deepEqual(await store.lookup(A), node(A), 'recheck: read again, fails again, stale again');
  assert.equal(inner.reads.length, 5);
  assert.equal(store.staleServed, 4);
  inner.failure = undefined;
  clock.ms += DEFAULT_RECHECK_MS;
  assert.deepEqual(await store.lookup(A), node(A));
  assert.equal(inner.reads.length, 6);
  assert.equal(store.staleServed, 4, 'the store is back: fresh again');
});

test('stale answers stop after the cap: then StoreUnavailableError', async () => {
  const { inner, clock, store } = setup({ staleMs: 60_000 });
  await store.lookup(A);
  inner.failure = new Error('socket hang up');
  clock.ms += 10_000 + 59_999;
  assert.deepEqual(await store.lookup(A), node(A));
  clock.ms += DEFAULT_RECHECK_MS;
  await assert.rejects(async () => store.lookup(A), StoreUnavailableError);
  assert.equal(DEFAULT_STALE_MS, 86_400_000);
});

test('an uncached name whose read fails throws StoreUnavailableError (SERVFAIL, never NXDOMAIN)', async () => {
  for (const failure of [
    new StoreUnavailableError('DynamoDB edge-dns lookup: timeout'),
    new Error('ECONNREFUSED'),
    'a string',
  ]) {
    const { inner, store } = setup();
    inner.failure = failure as Error;
    await assert.rejects(
      async () => store.lookup(A),
      (e: unknown) =>
        e instanceof StoreUnavailableError && /timeout|ECONNREFUSED|a string/.test(e.message),
    );
    assert.equal(store.size, 0, 'failures are not cached');
    inner.failure = undefined;
    assert.deepEqual(await store.lookup(A), node(A), 'the next lookup reads again');
  }
});

test('a burst on a failing uncached name: one read, every lookup rejected', async () => {
  const { inner, store } = setup();
  inner.failure = new StoreUnavailableError('down');
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => store.lookup(A)));
  assert.equal(inner.reads.length, 1);
  assert.ok(
    results.every((r) => r.status === 'rejected' && r.reason instanceof StoreUnavailableError),
  );
});

test('version: same data keeps it; a changed result, an eviction or a new serial changes it', async () => {
  const { inner, clock, store } = setup({ maxEntries: 2 });
  await store.lookup(A);
  await store.lookup(MISSING);
  const v0 = store.version;
  clock.ms += 10_000;
  await store.lookup(A);
  assert.equal(store.version, v0, 'a refresh that reads the same node');

  inner.nodes.set(A, node(A, '10.0.0.2'));
  clock.ms += 10_000;
  assert.deepEqual(await store.lookup(A), node(A, '10.0.0.2'));
  const v1 = store.version;
  assert.ok(v1 > v0, 'a refresh that reads another node');

  await store.lookup('b.ns.svc.cluster.local');
  assert.equal(store.size, 2);
  const v2 = store.version;
  assert.ok(v2 > v1, 'the least recently used name was evicted');

  inner.bumpSerial();
  await store.lookup('c.ns.svc.cluster.local');
  assert.ok(store.version > v2, 'the inner serial moved');
  assert.equal(store.serial(), inner.serial());
});

test('LRU: the least recently used name goes first', async () => {
  const { inner, store } = setup({ maxEntries: 2 });
  await store.lookup(A);
  await store.lookup('b.ns.svc.cluster.local');
  store.lookup(A);
  await store.lookup('c.ns.svc.cluster.local');
  inner.reads = [];
  store.lookup(A);
  await store.lookup('b.ns.svc.cluster.local');
  assert.deepEqual(inner.reads, ['b.ns.svc.cluster.local']);
});

test('TTL 0: every lookup reads', async () => {
  const { inner, store } = setup({ ttlMs: 0 });
  await store.lookup(A);
  await store.lookup(A);
  assert.equal(inner.reads.length, 2);
  assert.equal(store.hits, 0);
});
