import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { MemoryStore } from '../store/memory.ts';
import type { ObservedQuery, QueryObserver } from '../observe/query-observer.ts';
import { scrapeMetrics } from '../../test/support/prometheus-text.ts';
import { containerObservers } from './container-observers.ts';
import type { Generation } from './container-generation.ts';

const client = { address: '127.0.0.1', port: 5300, family: 'IPv4' };
const query = dnsPacket.encode({
  type: 'query',
  id: 1,
  questions: [{ name: 'a.example', type: 'A' }],
});
const reply = dnsPacket.encode({
  type: 'response',
  id: 1,
  flags: dnsPacket.AUTHORITATIVE_ANSWER,
  questions: [{ name: 'a.example', type: 'A' }],
});
const observed: ObservedQuery = {
  query,
  reply,
  proto: 'udp',
  client,
  durationMs: 1,
  cached: false,
};

test('no metrics and no other observer: nothing to observe, nothing served', async () => {
  const o = containerObservers({ metrics: { legacyNames: false } });
  assert.equal(o.observer, undefined);
  assert.deepEqual(o.poolHooks, {});
  assert.equal(await o.serve(() => undefined), undefined);
  o.reloadFailed(); // a no-op without metrics
});

test('the query log alone is the observer; the warm-up goes unobserved', async () => {
  const seen: ObservedQuery[] = [];
  const log: QueryObserver = { observe: (q) => seen.push(q) };
  const o = containerObservers({ metrics: { legacyNames: false } }, [undefined, log]);
  await o.unobserved(async () => o.observer!.observe(observed));
  o.observer!.observe(observed);
  assert.equal(seen.length, 1);
});

test('metrics: served on their address, every query counted beside the other observers', async () => {
  const seen: ObservedQuery[] = [];
  const o = containerObservers({ metrics: { listen: '127.0.0.1:0', legacyNames: false } }, [
    { observe: (q) => seen.push(q) },
  ]);
  assert.ok(o.poolHooks.onReply);
  const store = new MemoryStore();
  store.replaceAll([{ name: 'a.example', sets: [] }], 1);
  let connected = true;
  let synced = false;
  const live = {
    watch: {
      isSynced: () => synced,
      status: () => ({
        Service: { watched: true, connected, listed: true },
        Pod: { watched: false, connected: false, listed: false },
      }),
    },
  };
  const generation = {
    ctx: {},
    forward: undefined,
    records: { store, live, changedAt: () => Date.now() - 5000 },
  } as unknown as Generation;
  const server = await o.serve(() => generation);
  assert.ok(server);
  try {
    const url = `http://127.0.0.1:${server.address.port}/metrics`;
    o.listening('dns', { host: '::', port: 53 });
    o.observer!.observe(observed);
    o.reloadFailed();
    let s = await scrapeMetrics(url);
    assert.equal(seen.length, 1);
    assert.equal(s.value('coredns_dns_requests_total', { server: 'dns://[::]:53' }), 1);
    assert.equal(s.value('coredns_dns_responses_total', { plugin: 'kubernetes' }), 1);
    assert.equal(s.value('coredns_reload_failed_total'), 1);
    assert.equal(s.value('edge_dns_source_state', { state: 'watching' }), 1);
    assert.equal(s.value('edge_dns_last_known_good'), 0);
    assert.ok(s.value('edge_dns_records_age_seconds')! >= 5);
    synced = true;
    connected = false;
    s = await scrapeMetrics(url);
    assert.equal(s.value('edge_dns_source_state', { state: 'synced' }), 1);
    assert.equal(s.value('edge_dns_last_known_good'), 1, 'synced once, a watch down now');
  } finally {
    await o.close();
  }
});
