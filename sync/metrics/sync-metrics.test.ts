// The sync's series from the parts' stats callbacks, read back in the text format a scrape gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsedScrape } from '../../test/support/prometheus-text.ts';
import { SyncMetrics } from './sync-metrics.ts';

const round = (put: number, deleted: number, failed: number, ms: number) => ({
  objects: 1,
  units: 1,
  put,
  deleted,
  failed,
  ms,
});

test('every series from the stats callbacks', async () => {
  const clock = { ms: 1_700_000_000_000 };
  const m = new SyncMetrics({ now: () => clock.ms, processDefaults: false });
  const scrape = async () => parsedScrape(await m.registry.metrics());

  const empty = await scrape();
  assert.equal(empty.value('edge_dns_sync_leader'), 0);
  assert.equal(empty.value('edge_dns_sync_round_duration_seconds_count', { kind: 'full' }), 0);
  assert.equal(empty.value('edge_dns_sync_write_retries_total', { reason: 'unprocessed' }), 0);
  assert.equal(empty.value('edge_dns_sync_last_successful_round_timestamp_seconds'), 0);

  m.leader.leading(true);
  m.reconciler.round(round(80, 0, 0, 250), true);
  clock.ms += 5_000;
  m.reconciler.round(round(1, 3, 2, 40), false); // failed: the last success stays
  m.reconciler.published(120, 'Service/shop/web');
  m.reconciler.published(4_000, 'EndpointSlice/shop/web-1');
  m.writes.retried('unprocessed');
  m.writes.retried('error');
  m.writes.retried('error');
  m.writes.throttled('BatchWriteItem');
  m.writes.throttled('PutItem');
  m.writes.throttled('BatchWriteItem');
  const s = await scrape();
  const expect: [string, Record<string, string>, number][] = [
    ['edge_dns_sync_leader', {}, 1],
    ['edge_dns_sync_items_put_total', {}, 81],
    ['edge_dns_sync_items_deleted_total', {}, 3],
    ['edge_dns_sync_items_failed_total', {}, 2],
    ['edge_dns_sync_round_duration_seconds_count', { kind: 'full' }, 1],
    ['edge_dns_sync_round_duration_seconds_sum', { kind: 'full' }, 0.25],
    ['edge_dns_sync_round_duration_seconds_bucket', { kind: 'incremental', le: '0.05' }, 1],
    ['edge_dns_sync_round_duration_seconds_bucket', { kind: 'incremental', le: '0.025' }, 0],
    ['edge_dns_sync_last_successful_round_timestamp_seconds', {}, 1_700_000_000],
    ['edge_dns_sync_change_to_published_seconds_count', {}, 2],
    ['edge_dns_sync_change_to_published_seconds_bucket', { le: '0.128' }, 1],
    ['edge_dns_sync_change_to_published_seconds_bucket', { le: '4.096' }, 2],
    ['edge_dns_sync_write_retries_total', { reason: 'unprocessed' }, 1],
    ['edge_dns_sync_write_retries_total', { reason: 'error' }, 2],
    ['edge_dns_sync_write_throttles_total', { operation: 'BatchWriteItem' }, 2],
    ['edge_dns_sync_write_throttles_total', { operation: 'PutItem' }, 1],
  ];
  for (const [name, labels, value] of expect)
    assert.equal(s.value(name, labels), value, `${name} ${JSON.stringify(labels)}`);

  m.leader.leading(false);
  assert.equal((await scrape()).value('edge_dns_sync_leader'), 0);
});
