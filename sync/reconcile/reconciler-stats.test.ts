// The reconciler's stats option (what sync/metrics/ turns into series): one report per round with
// the names put, deleted and failed, and each change's latency once its names are written, on a
// clock moved by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../../functions/core/record.ts';
import { buildCluster } from '../records/cluster.ts';
import { defaultBuildOptions } from '../records/options.ts';
import { namespace, service } from '../../test/support/builder-objects.ts';
import { MutableSource } from '../../test/support/mutable-source.ts';
import type { ApplyResult, StoreChange, StoreWriter } from '../write/store-writer.ts';
import { Reconciler, type RoundReport } from './reconciler.ts';

const hash = (n: NameNode) => JSON.stringify(n);

/** A store of name -> hash that fails the names `failing` says. */
class MapWriter implements StoreWriter {
  items = new Map<string, string>();
  failing: (name: string) => boolean = () => false;
  async listOwned() {
    return new Map(this.items);
  }
  async apply(change: StoreChange): Promise<ApplyResult> {
    const out: ApplyResult = { written: [], failed: [] };
    for (const n of change.put) {
      if (this.failing(n.name)) out.failed.push({ name: n.name, error: 'ThrottlingException' });
      else (this.items.set(n.name, hash(n)), out.written.push(n.name));
    }
    for (const name of change.delete) {
      if (this.failing(name)) out.failed.push({ name, error: 'ThrottlingException' });
      else (this.items.delete(name), out.written.push(name));
    }
    return out;
  }
}

function recorder() {
  const rounds: { full: boolean; put: number; deleted: number; failed: number }[] = [];
  const published: number[] = [];
  return {
    rounds,
    published,
    stats: {
      round: (r: RoundReport, full: boolean) =>
        rounds.push({ full, put: r.put, deleted: r.deleted, failed: r.failed }),
      published: (ms: number) => published.push(ms),
    },
  };
}

const web = (ip: string) =>
  service('shop', 'web', {
    clusterIP: ip,
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  });

test('rounds report names put and deleted; a change is published with its latency', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [],
    endpointSlices: [],
    pods: [],
  });
  const clock = { ms: 1_000 };
  const rec = recorder();
  const r = new Reconciler({
    source,
    build: defaultBuildOptions,
    writer: new MapWriter(),
    hash,
    now: () => clock.ms,
    stats: rec.stats,
  });
  await r.start();
  const names = (s: MutableSource) => buildCluster(s.snapshot(), defaultBuildOptions).size;
  assert.deepEqual(rec.rounds, [{ full: true, put: names(source), deleted: 0, failed: 0 }]);
  assert.deepEqual(rec.published, [], 'the first full round is no change');

  const before = names(source);
  source.put('Service', web('10.0.0.10'));
  clock.ms += 250; // the round ends 250 ms after the event
  await r.settled();
  const added = names(source) - before;
  assert.ok(added >= 2, 'a Service with a named port makes an A and an SRV name at least');
  assert.deepEqual(rec.rounds.slice(1), [{ full: false, put: added, deleted: 0, failed: 0 }]);
  assert.deepEqual(rec.published, [250]);

  source.remove('Service', 'shop/web');
  await r.settled();
  assert.deepEqual(rec.rounds.slice(2), [{ full: false, put: 0, deleted: added, failed: 0 }]);
  assert.deepEqual(rec.published, [250, 0]);
  await r.stop();
});

test('a change whose write fails is published when the retry writes it', async () => {
  const source = MutableSource.of({
    namespaces: [namespace('shop')],
    services: [],
    endpointSlices: [],
    pods: [],
  });
  const writer = new MapWriter();
  const clock = { ms: 0 };
  const rec = recorder();
  const r = new Reconciler({
    source,
    build: defaultBuildOptions,
    writer,
    hash,
    now: () => clock.ms,
    retryMs: { initial: 1, max: 1 },
    stats: rec.stats,
  });
  await r.start();
  let failures = 2;
  writer.failing = (name) => {
    if (name !== 'web.shop.svc.cluster.local' || failures === 0) return false;
    failures--;
    clock.ms += 100; // each failed try takes 100 ms
    return true;
  };
  source.put('Service', web('10.0.0.10'));
  await r.settled();
  assert.deepEqual(
    rec.rounds.slice(1).map((x) => x.failed),
    [1, 1, 0],
    'two rounds fail the name, the third writes it',
  );
  assert.deepEqual(rec.published, [200], 'one change, published after both failures');
  await r.stop();
});
