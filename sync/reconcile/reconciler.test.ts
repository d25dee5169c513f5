// The reconcile loop over an in-memory writer that can fail on demand: convergence after
// changes, failed writes retried, restart from what the store holds, random failure sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NameNode } from '../../functions/core/record.ts';
import { buildCluster } from '../records/cluster.ts';
import { defaultBuildOptions } from '../records/options.ts';
import { namespace, service, slice } from '../../test/support/builder-objects.ts';
import type { ApplyResult, StoreChange, StoreWriter } from '../write/store-writer.ts';
import { MutableSource } from '../../test/support/mutable-source.ts';
import { Reconciler } from './reconciler.ts';

const hash = (n: NameNode) => JSON.stringify(n);
const options = { ...defaultBuildOptions };

/** A store of name -> hash that fails the names `failing` says, for as long as it says. */
class MapWriter implements StoreWriter {
  items = new Map<string, string>();
  writes = 0;
  failing: (name: string) => boolean = () => false;
  async listOwned() {
    return new Map(this.items);
  }
  async apply(change: StoreChange): Promise<ApplyResult> {
    const out: ApplyResult = { written: [], failed: [] };
    for (const n of change.put) {
      if (this.failing(n.name)) out.failed.push({ name: n.name, error: 'ThrottlingException' });
      else (this.items.set(n.name, hash(n)), out.written.push(n.name), this.writes++);
    }
    for (const name of change.delete) {
      if (this.failing(name)) out.failed.push({ name, error: 'ThrottlingException' });
      else (this.items.delete(name), out.written.push(name), this.writes++);
    }
    return out;
  }
}

function expected(source: MutableSource): Map<string, string> {
  return new Map(
    [...buildCluster(source.snapshot(), options)].map(([name, node]) => [name, hash(node)]),
  );
}

const web = () =>
  service('shop', 'web', {
    clusterIP: '10.0.0.10',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });
const db = (n: number) =>
  slice(
    'shop',
    'db',
    'IPv4',
    Array.from({ length: n }, (_, i) => ({ addresses: [`10.1.0.${i + 1}`], hostname: `db-${i}` })),
    [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    'db-abc',
  );

test('initial load, then a Service added, changed and deleted, converge', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [],
    endpointSlices: [],
    pods: [],
  });
  const writer = new MapWriter();
  const lines: string[] = [];
  const r = new Reconciler({ source, build: options, writer, hash, log: (l) => lines.push(l) });
  await r.start();
  assert.deepEqual(writer.items, expected(source));
  assert.match(
    lines[0] ?? '',
    /^full reconcile: 1 objects seen, \d+ units built, \d+ items put, 0 deleted in \d+ ms$/,
  );
  for (const step of [
    () => source.put('Service', web()),
    () => source.put('Service', service('shop', 'web', { clusterIP: '10.0.0.11' })),
    () => source.remove('Service', 'shop/web'),
  ]) {
    step();
    await r.settled();
    assert.deepEqual(writer.items, expected(source));
  }
  await r.stop();
});

test('endpoints scaling 0 -> 50 -> 0 on a headless service', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [service('shop', 'db', { clusterIP: 'None' })],
    endpointSlices: [],
    pods: [],
  });
  const writer = new MapWriter();
  const r = new Reconciler({ source, build: options, writer, hash });
  await r.start();
  for (const n of [50, 0]) {
    source.put('EndpointSlice', db(n));
    await r.settled();
    assert.deepEqual(writer.items, expected(source));
  }
  assert.ok(!writer.items.has('db-1.db.shop.svc.cluster.local'));
  await r.stop();
});

test('failed writes are retried until they land', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [web()],
    endpointSlices: [],
    pods: [],
  });
  const writer = new MapWriter();
  let failures = 3;
  writer.failing = (name) => name === 'web.shop.svc.cluster.local' && failures-- > 0;
  const r = new Reconciler({
    source,
    build: options,
    writer,
    hash,
    retryMs: { initial: 1, max: 4 },
  });
  const first = await r.start();
  assert.equal(first.failed, 1);
  await r.settled();
  assert.deepEqual(writer.items, expected(source));
  await r.stop();
});

test('a restarted sync reads what the store holds: unchanged items are not rewritten, stale ones go', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [web()],
    endpointSlices: [],
    pods: [],
  });
  const writer = new MapWriter();
  const first = new Reconciler({ source, build: options, writer, hash });
  await first.start();
  await first.stop();
  writer.items.set('stale.shop.svc.cluster.local', 'x');
  writer.writes = 0;
  source.remove('Service', 'shop/web');
  const second = new Reconciler({ source, build: options, writer, hash });
  const report = await second.start();
  assert.deepEqual(writer.items, expected(source));
  assert.equal(report.put, 0);
  assert.equal(writer.writes, report.deleted);
  await second.stop();
});

test('random changes with random write failures converge to the build of the final objects', async () => {
  const change = fc.oneof(
    fc
      .tuple(fc.constantFrom('web', 'api', 'db'), fc.integer({ min: 1, max: 250 }))
      .map(([n, ip]) => ({ svc: n, ip })),
    fc.constantFrom('web', 'api', 'db').map((n) => ({ remove: n })),
    fc.integer({ min: 0, max: 6 }).map((n) => ({ endpoints: n })),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(change, { maxLength: 12 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      async (changes, failPattern) => {
        const source = MutableSource.of({
          namespaces: [namespace('shop')],
          services: [service('shop', 'db', { clusterIP: 'None' })],
          endpointSlices: [],
          pods: [],
        });
        const writer = new MapWriter();
        let i = 0;
        // Fail by a pattern for a while, then stop failing (an outage that ends).
        writer.failing = () => i < 40 && (failPattern[i++ % failPattern.length] ?? false);
        const r = new Reconciler({
          source,
          build: options,
          writer,
          hash,
          retryMs: { initial: 1, max: 2 },
          chunk: 3,
        });
        await r.start();
        for (const c of changes) {
          if ('svc' in c)
            source.put('Service', service('shop', c.svc, { clusterIP: `10.0.0.${c.ip}` }));
          else if ('remove' in c) source.remove('Service', `shop/${c.remove}`);
          else source.put('EndpointSlice', db(c.endpoints));
          if (c === changes[Math.floor(changes.length / 2)]) await r.settled();
        }
        await r.settled();
        await r.stop();
        assert.deepEqual(writer.items, expected(source));
      },
    ),
    { numRuns: 60 },
  );
});

test('a dropped or duplicated change notification cannot leave the store wrong: duplicates are idempotent, the resync repairs a drop', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [web()],
    endpointSlices: [],
    pods: [],
  });
  // A source that loses the next notification, and repeats every other one.
  let drop = false;
  const lossy = {
    objects: source.objects.bind(source),
    onChange: (listener: Parameters<MutableSource['onChange']>[0]) =>
      source.onChange((kind, key) => {
        if (drop) return void (drop = false);
        listener(kind, key);
        listener(kind, key);
      }),
  };
  const writer = new MapWriter();
  let fullRounds = 0;
  let nextFull: () => void = () => {};
  const log = (line: string) => {
    if (line.startsWith('full reconcile')) (fullRounds++, nextFull());
  };
  const r = new Reconciler({ source: lossy, build: options, writer, hash, log, resyncMs: 30 });
  await r.start();
  source.put('Service', service('shop', 'api', { clusterIP: '10.0.0.20' }));
  await r.settled();
  assert.deepEqual(writer.items, expected(source), 'duplicated notifications');
  drop = true;
  source.put('Service', service('shop', 'api', { clusterIP: '10.0.0.21' }));
  await r.settled();
  assert.notDeepEqual(
    writer.items,
    expected(source),
    'the dropped notification left the store behind',
  );
  const seen = fullRounds;
  // The resync timer is unref'd; the guard keeps the test alive and fails it if none comes.
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('no resync within 5 s')), 5000);
    nextFull = () => fullRounds > seen && (clearTimeout(guard), resolve());
  });
  await r.settled();
  assert.deepEqual(writer.items, expected(source), 'the periodic resync repaired it');
  await r.stop();
});
