import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { parsedScrape } from '../../test/support/prometheus-text.ts';
import { registerRecordsMetrics, type RecordsState } from './records-metrics.ts';

test('records series: version, names, age, last known good, the source state one-hot', async () => {
  const registry = new Registry();
  let state: RecordsState = {
    version: 0,
    names: 0,
    changedAtMs: 0,
    state: 'watching',
    lastKnownGood: false,
  };
  const now = 1_700_000_100_000;
  registerRecordsMetrics(
    registry,
    () => state,
    () => now,
  );
  const read = async () => {
    const s = parsedScrape(await registry.metrics());
    return [
      s.value('edge_dns_records_version'),
      s.value('edge_dns_records_names'),
      s.value('edge_dns_records_age_seconds'),
      s.value('edge_dns_last_known_good'),
      ['snapshot', 'watching', 'synced'].filter((x) =>
        s.value('edge_dns_source_state', { state: x }),
      ),
    ];
  };
  assert.deepEqual(await read(), [0, 0, 0, 0, ['watching']], 'before the first list: no age');
  state = {
    version: 3,
    names: 83,
    changedAtMs: now - 42_500,
    state: 'synced',
    lastKnownGood: true,
  };
  assert.deepEqual(await read(), [3, 83, 42.5, 1, ['synced']]);
});
