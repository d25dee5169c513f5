import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { parsedScrape } from '../../test/support/prometheus-text.ts';
import { registerForwardMetrics, upstreamLabel, type PoolSource } from './forward-metrics.ts';

test('forward series: reply durations by upstream and rcode; health-check failures; max_concurrent rejects', async () => {
  const registry = new Registry();
  const pools: PoolSource[] = [
    { probeFailures: { 'udp://10.0.0.10:53': 2 }, refusedOverLimit: 1 },
    { probeFailures: { 'https://dns.example/dns-query': 0 }, refusedOverLimit: 3 },
  ];
  const m = registerForwardMetrics(registry, () => pools);
  m.onReply('udp://10.0.0.10:53', 0, 0.2);
  m.onReply('udp://10.0.0.10:53', 0, 3);
  m.onReply('tcp://10.0.0.10:53', 3, 1); // the same address over TCP: one `to`
  m.onReply('https://dns.example/dns-query', 2, 10);
  const s = parsedScrape(await registry.metrics());
  const counts = s.samples
    .filter((x) => x.name === 'coredns_proxy_request_duration_seconds_count')
    .map((x) => `${x.labels.proxy_name} ${x.labels.to} ${x.labels.rcode} ${x.value}`);
  assert.deepEqual(counts, [
    'forward 10.0.0.10:53 NOERROR 2',
    'forward 10.0.0.10:53 NXDOMAIN 1',
    'forward https://dns.example/dns-query SERVFAIL 1',
  ]);
  assert.equal(
    s.value('coredns_proxy_request_duration_seconds_bucket', {
      to: '10.0.0.10:53',
      rcode: 'NOERROR',
      le: '0.00025',
    }),
    1,
  );
  assert.equal(s.value('coredns_forward_healthcheck_failures_total', { to: '10.0.0.10:53' }), 2);
  assert.equal(s.value('coredns_forward_max_concurrent_rejects_total'), 4);
  assert.equal(upstreamLabel('udp://[::1]:53'), '[::1]:53');
});
