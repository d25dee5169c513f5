// The sync's /metrics (sync/README.md "Metrics"): sync/main.ts as a real process with --metrics,
// watching the test Kubernetes API server and writing dynalite through a proxy that can throttle
// it, scraped over HTTP. Exact counts: the initial publish puts one item per name; a change is one
// more round with its deletes counted and its latency observed; throttled writes are counted,
// every try, the SDK's own retries included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NameNode } from '../functions/core/record.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { serviceObject } from './support/kube-objects.ts';
import { scrapeMetrics } from './support/prometheus-text.ts';
import { startProxiedSync } from './support/proxied-sync.ts';

/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 90_000 };

const ROUND = /: reconcile: \d+ objects seen, \d+ units built, (\d+) items put, (\d+) deleted in/;

/** Names put (new or changed) and deleted from `before` to `after`, as the planner decides. */
function diff(before: Map<string, NameNode>, after: Map<string, NameNode>) {
  const put = [...after].filter(([n, node]) =>
    before.get(n) !== undefined ? contentHash(before.get(n)!) !== contentHash(node) : true,
  ).length;
  const deleted = [...before.keys()].filter((n) => !after.has(n)).length;
  return { put, deleted };
}

test(
  'the sync exports its rounds, writes, throttles, change latency and leadership',
  GUARD,
  async (t) => {
    const started = Date.now() / 1000;
    const {
      db,
      proxy,
      cluster: c,
      sync,
    } = await startProxiedSync(t, 'metrics', [...['--metrics', '127.0.0.1:0']]);
    const url = /metrics on (http:\/\/\S+\/metrics)$/.exec(
      await sync.waitFor(/: metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/),
    )![1]!;
    const names = () => buildCluster(c.objects(), defaultBuildOptions);

    await t.test(
      'the initial publish: one item put per name, leader 1, one full round',
      async () => {
        await sync.waitFor(/: full reconcile: /);
        const m = await scrapeMetrics(url);
        assert.equal(m.value('edge_dns_sync_items_put_total'), names().size);
        assert.equal(m.value('edge_dns_sync_items_deleted_total'), 0);
        assert.equal(m.value('edge_dns_sync_items_failed_total'), 0);
        assert.equal(m.value('edge_dns_sync_leader'), 1);
        assert.equal(m.value('edge_dns_sync_round_duration_seconds_count', { kind: 'full' }), 1);
        assert.equal(
          m.value('edge_dns_sync_round_duration_seconds_count', { kind: 'incremental' }),
          0,
        );
        const last = m.value('edge_dns_sync_last_successful_round_timestamp_seconds')!;
        assert.ok(last >= started && last <= Date.now() / 1000, `last successful round ${last}`);
        assert.equal(
          m.value('edge_dns_sync_write_throttles_total'),
          undefined,
          'nothing throttled',
        );
        assert.ok(m.value('process_resident_memory_bytes')! > 0, 'process defaults');
      },
    );

    await t.test(
      'a Service removed: one more round, its names deleted, one change published',
      async () => {
        const before = await scrapeMetrics(url);
        const was = names();
        const from = sync.mark();
        c.remove('Service', 'shop', 'cart');
        const want = diff(was, names());
        assert.ok(want.deleted > 0);
        const round = ROUND.exec(await sync.waitFor(ROUND, { from }))!;
        assert.deepEqual([Number(round[1]), Number(round[2])], [want.put, want.deleted]);
        const m = await scrapeMetrics(url);
        const moved = (name: string, labels?: Record<string, string>) =>
          m.value(name, labels)! - before.value(name, labels)!;
        assert.equal(
          moved('edge_dns_sync_round_duration_seconds_count', { kind: 'incremental' }),
          1,
        );
        assert.equal(moved('edge_dns_sync_items_deleted_total'), want.deleted);
        assert.equal(moved('edge_dns_sync_items_put_total'), want.put);
        assert.equal(moved('edge_dns_sync_change_to_published_seconds_count'), 1);
        assert.ok(moved('edge_dns_sync_change_to_published_seconds_sum') >= 0);
      },
    );

    await t.test(
      'throttled writes: every throttled try counted, the writer retry too',
      async () => {
        const before = await scrapeMetrics(url);
        const was = names();
        const from = sync.mark();
        // The SDK tries each call 3 times (sync/main.ts maxAttempts): 4 throttles in a row fail one
        // BatchWriteItem call for the writer, which retries it (batch-write.ts); the SDK's second try
        // of that one lands. A new Service's few names are one BatchWriteItem call.
        proxy.throttle('BatchWriteItem', 4);
        c.apply(
          'Service',
          serviceObject('shop', 'throttled', {
            clusterIP: '10.96.90.9',
            clusterIPs: ['10.96.90.9'],
          }),
        );
        const want = diff(was, names());
        const round = ROUND.exec(await sync.waitFor(ROUND, { from, timeoutMs: 60_000 }))!;
        assert.deepEqual([Number(round[1]), Number(round[2])], [want.put, 0]);
        const m = await scrapeMetrics(url);
        assert.equal(
          m.value('edge_dns_sync_write_throttles_total', { operation: 'BatchWriteItem' }),
          4,
        );
        assert.equal(
          m.value('edge_dns_sync_write_retries_total', { reason: 'error' })! -
            before.value('edge_dns_sync_write_retries_total', { reason: 'error' })!,
          1,
        );
        assert.equal(
          m.value('edge_dns_sync_items_put_total')! -
            before.value('edge_dns_sync_items_put_total')!,
          want.put,
        );
        assert.equal(m.value('edge_dns_sync_items_failed_total'), 0);
        assert.equal(
          m.value('edge_dns_sync_change_to_published_seconds_count')! -
            before.value('edge_dns_sync_change_to_published_seconds_count')!,
          1,
        );
        const owned = await new DynamoDbWriter({
          client: db.client,
          table: db.table,
          cluster: 'metrics',
        }).listOwned();
        assert.deepEqual(
          [...owned.keys()].sort(),
          [...names().keys()].sort(),
          'the table caught up',
        );
      },
    );
  },
);
