// The metric-line wrapper around the edge's resolve: sampling, the per-request cache figures, the
// runtime's default format, and a resolver that throws logged as the SERVFAIL the app answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { ResolverContext } from '../core/resolver.ts';
import { CachedStore } from '../store/cached.ts';
import { withMetricLines, type EdgeMetricsOptions } from './edge-metrics.ts';

const query = dnsPacket.encode({
  type: 'query',
  id: 7,
  questions: [{ type: 'A', name: 'web.shop.svc.cluster.local', class: 'IN' }],
});
const reply = dnsPacket.encode({
  type: 'response',
  id: 7,
  questions: [{ type: 'A', name: 'web.shop.svc.cluster.local', class: 'IN' }],
});

function setup(
  metrics: { format?: 'off' | 'emf' | 'json'; sampleRate?: number } | undefined,
  options: Omit<EdgeMetricsOptions, 'write'> | undefined,
  resolve: (ctx: ResolverContext) => Promise<Uint8Array | null> = async (ctx) => {
    await ctx.store.lookup('web.shop.svc.cluster.local');
    return reply;
  },
) {
  const store = new CachedStore(
    { lookup: () => undefined, serial: () => 1, version: 0 },
    { ttlMs: 60_000, maxEntries: 10, now: () => 0 },
  );
  const lines: Record<string, unknown>[] = [];
  const answer = withMetricLines(
    async (_q, ctx) => resolve(ctx),
    store,
    { cluster: 'prod', ...(metrics && { metrics }) },
    options && { ...options, write: (line) => lines.push(JSON.parse(line)) },
    () => 1_700_000_000_000,
  );
  const ctx = { store, zones: [] } as ResolverContext;
  return { ask: () => answer(query, ctx), lines };
}

test('the runtime default applies unless EDGE_DNS_METRICS says otherwise; no options: off', async () => {
  for (const [metrics, options, format] of [
    [undefined, { defaultFormat: 'emf' }, 'emf'],
    [undefined, { defaultFormat: 'json' }, 'json'],
    [{ format: 'json' }, { defaultFormat: 'emf' }, 'json'],
    [{ format: 'off' }, { defaultFormat: 'emf' }, 'off'],
    [undefined, undefined, 'off'],
  ] as const) {
    const { ask, lines } = setup(metrics, options);
    assert.deepEqual(await ask(), reply);
    const got = lines.length === 0 ? 'off' : '_aws' in lines[0]! ? 'emf' : 'json';
    assert.equal(got, format, JSON.stringify([metrics, options]));
  }
});

test('sampling: a line when random() < the rate, counts weighted by 1/rate', async () => {
  const draws = [0.1, 0.6, 0.3, 0.5];
  const { ask, lines } = setup(
    { format: 'json', sampleRate: 0.5 },
    { defaultFormat: 'json', random: () => draws.shift()! },
  );
  for (let i = 0; i < 4; i++) await ask();
  assert.deepEqual(
    lines.map((l) => [
      l.coredns_dns_requests_total,
      l.coredns_cache_misses_total,
      l.coredns_cache_hits_total,
      l.edge_dns_dynamodb_reads_total,
      l.sample_rate,
    ]),
    [
      [2, 2, 0, 2, 0.5], // the first lookup of the name: a miss and a read
      [2, 0, 2, 0, 0.5], // the third request: a hit (the second, unsampled, was one too)
    ],
  );
});

test('a resolver that throws: the SERVFAIL the app answers is logged, the error goes on', async () => {
  const { ask, lines } = setup({ format: 'json' }, { defaultFormat: 'json' }, async () => {
    throw new Error('boom');
  });
  await assert.rejects(ask(), /boom/);
  assert.deepEqual([lines.length, lines[0]?.rcode, lines[0]?.type], [1, 'SERVFAIL', 'A']);
});
