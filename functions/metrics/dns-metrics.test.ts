import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { Registry } from 'prom-client';
import { AnswerCache } from '../core/answer-cache.ts';
import { resolveNow, type ResolverContext } from '../core/resolver.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import { kubernetesZone } from '../core/zone.ts';
import { MemoryStore } from '../store/memory.ts';
import { observeReply, type ObservedQuery } from '../observe/query-observer.ts';
import { nodesFromText } from '../../test/support/records.ts';
import { parsedScrape } from '../../test/support/prometheus-text.ts';
import { registerFamilies } from './counter-vec.ts';
import { DnsMetrics } from './dns-metrics.ts';

const store = new MemoryStore();
store.replaceAll(
  nodesFromText([
    'web.shop.svc.cluster.local. 5 IN A 10.96.0.5',
    'billing.shop.svc.cluster.local. 5 IN CNAME billing.example.com.',
  ]),
  1,
);
const a = (name: string): Answer => ({ name, type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' });

/** A forwarder whose answers say whether its cache gave them (core/sections.ts `cached`). */
function context(): ResolverContext {
  return {
    store,
    zones: [kubernetesZone('cluster.local', 5)],
    answerCache: new AnswerCache(),
    now: () => 1_700_000_000_000,
    forward: {
      handles: (name) => name.endsWith('example.com'),
      forward: async (q): Promise<Sections> => ({
        ...emptySections('NOERROR'),
        answers: [a(q.name)],
        ...(q.name.startsWith('cached.') && { cached: true }),
      }),
    },
  };
}

const query = (name: string, type = 'A', o: { do?: boolean } = {}) =>
  dnsPacket.encode({
    type: 'query',
    id: 1,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A' }],
    additionals: o.do
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK } as never]
      : [],
  });

const v4 = { address: '127.0.0.1', port: 5300, family: 'IPv4' };

/** Resolves each query as the listeners do and lets the observer see it. */
async function run(
  metrics: DnsMetrics,
  queries: [Uint8Array, 'udp' | 'tcp' | 'https', typeof v4?][],
  ctx = context(),
): Promise<void> {
  for (const [q, proto, client] of queries)
    await observeReply(resolveNow(q, proto, ctx), metrics, () => 0, 0, q, proto, client ?? v4);
  await new Promise((r) => setImmediate(r));
}

async function scrape(metrics: DnsMetrics) {
  const registry = new Registry();
  registerFamilies(registry, metrics.families);
  return parsedScrape(await registry.metrics());
}

test('responses by rcode and the plugin that wrote them; hits and misses, one per query', async () => {
  const m = new DnsMetrics();
  m.setServer('dns', 'dns://127.0.0.1:53');
  await run(m, [
    [query('web.shop.svc.cluster.local'), 'udp'], // kubernetes, miss
    [query('web.shop.svc.cluster.local'), 'udp'], // answer cache: cache, hit
    [query('gone.shop.svc.cluster.local'), 'udp'], // NXDOMAIN: kubernetes, miss
    [query('gone.shop.svc.cluster.local'), 'tcp'], // answer cache (denial): cache, hit
    [query('www.example.com'), 'udp'], // upstream: forward, miss
    [query('cached.example.com'), 'udp'], // forward cache: cache, hit
    [query('www.example.org'), 'udp'], // REFUSED: the server, miss
    [query('www.example.org'), 'udp'], // REFUSED kept as bytes: still the server's, a miss
    [Buffer.from('not a DNS message, but long enough'), 'udp'], // FORMERR: the server, dropped
    [query('a.example', 'A').subarray(0, 11), 'udp'], // shorter than a header: no reply, unseen
  ]);
  const s = await scrape(m);
  const responses = s.samples
    .filter((x) => x.name === 'coredns_dns_responses_total')
    .map((x) => `${x.labels.zone} ${x.labels.rcode} "${x.labels.plugin}" ${x.value}`)
    .sort();
  assert.deepEqual(responses, [
    '. NOERROR "cache" 2',
    '. NOERROR "forward" 1',
    '. NOERROR "kubernetes" 1',
    '. NXDOMAIN "cache" 1',
    '. NXDOMAIN "kubernetes" 1',
    '. REFUSED "" 2',
    'dropped FORMERR "" 1',
  ]);
  assert.equal(s.value('coredns_dns_requests_total'), 9);
  assert.equal(s.value('coredns_dns_requests_total', { zone: 'dropped', type: 'other' }), 1);
  assert.equal(s.value('coredns_dns_requests_total', { proto: 'tcp' }), 1);
  assert.equal(s.value('coredns_cache_hits_total', { type: 'success' }), 2);
  assert.equal(s.value('coredns_cache_hits_total', { type: 'denial' }), 1);
  assert.equal(s.value('coredns_cache_misses_total'), 5);
  assert.equal(s.value('coredns_dns_request_duration_seconds_count'), 9);
  assert.equal(s.value('coredns_dns_request_size_bytes_count', { proto: 'udp' }), 8);
  assert.equal(s.value('coredns_dns_response_size_bytes_count', { proto: 'tcp' }), 1);
  for (const sample of s.samples.filter((x) => x.labels.server !== undefined))
    assert.equal(sample.labels.server, 'dns://127.0.0.1:53', sample.name);
});

test('labels as CoreDNS sets them: DoH is proto tcp on its https:// server; family; DO; view', async () => {
  const m = new DnsMetrics();
  m.setServer('dns', 'dns://[::]:53');
  m.setServer('https', 'https://127.0.0.1:443');
  const v6 = { address: '::1', port: 5300, family: 'IPv6' };
  const mapped = { address: '::ffff:10.0.0.1', port: 5300, family: 'IPv6' };
  await run(m, [
    [query('web.shop.svc.cluster.local', 'SRV'), 'udp', v6],
    [query('web.shop.svc.cluster.local', 'AAAA', { do: true }), 'udp', mapped],
    [query('1.0.96.10.in-addr.arpa', 'PTR'), 'https'],
    [query('web.shop.svc.cluster.local', 'NAPTR'), 'tcp'],
  ]);
  const s = await scrape(m);
  const requests = s.samples
    .filter((x) => x.name === 'coredns_dns_requests_total')
    .map((x) => Object.values(x.labels).join(' '))
    .sort();
  assert.deepEqual(requests, [
    'dns://[::]:53 .  tcp 1 other',
    'dns://[::]:53 .  udp 1 AAAA',
    'dns://[::]:53 .  udp 2 SRV',
    'https://127.0.0.1:443 .  tcp 1 PTR',
  ]);
  assert.deepEqual(
    Object.keys(s.samples.find((x) => x.name === 'coredns_dns_requests_total')!.labels),
    ['server', 'zone', 'view', 'proto', 'family', 'type'],
  );
  assert.equal(
    s.value('coredns_dns_do_requests_total', { server: 'dns://[::]:53', zone: '.', view: '' }),
    1,
  );
});

test('histograms: CoreDNS buckets, cumulative, written as Go writes them', async () => {
  const m = new DnsMetrics();
  m.setServer('dns', 'dns://127.0.0.1:53');
  const q = query('web.shop.svc.cluster.local');
  const ctx = context();
  for (const ms of [0.1, 0.3, 3, 20_000])
    m.observe({
      query: q,
      reply: (await resolveNow(q, 'udp', ctx))!,
      proto: 'udp',
      client: v4,
      durationMs: ms,
      cached: false,
    });
  const s = await scrape(m);
  const buckets = s.samples
    .filter((x) => x.name === 'coredns_dns_request_duration_seconds_bucket')
    .map((x) => `${x.labels.le}:${x.value}`);
  assert.deepEqual(buckets, [
    '0.00025:1',
    '0.0005:2',
    '0.001:2',
    '0.002:2',
    '0.004:3',
    '0.008:3',
    '0.016:3',
    '0.032:3',
    '0.064:3',
    '0.128:3',
    '0.256:3',
    '0.512:3',
    '1.024:3',
    '2.048:3',
    '4.096:3',
    '8.192:3',
    '+Inf:4',
  ]);
  assert.deepEqual(
    s.samples
      .filter((x) => x.name === 'coredns_dns_response_size_bytes_bucket')
      .map((x) => x.labels.le),
    [
      '0',
      '100',
      '200',
      '300',
      '400',
      '511',
      '1023',
      '2047',
      '4095',
      '8291',
      '16000',
      '32000',
      '48000',
      '64000',
      '+Inf',
    ],
  );
  assert.ok(Math.abs(s.value('coredns_dns_request_duration_seconds_sum')! - 20.0034) < 1e-9);
});

test('legacy names (pre-1.7) only when asked, summed from the new series', async () => {
  const plain = new DnsMetrics();
  const legacy = new DnsMetrics({ legacyNames: true });
  for (const m of [plain, legacy]) {
    m.setServer('dns', 'dns://127.0.0.1:53');
    await run(m, [
      [query('web.shop.svc.cluster.local'), 'udp'],
      [query('web.shop.svc.cluster.local', 'AAAA', { do: true }), 'udp'],
      [query('web.shop.svc.cluster.local'), 'tcp'],
    ]);
  }
  assert.equal((await scrape(plain)).value('coredns_dns_request_count_total'), undefined);
  const s = await scrape(legacy);
  const lines = (name: string) =>
    s.samples.filter((x) => x.name === name).map((x) => `${JSON.stringify(x.labels)} ${x.value}`);
  assert.deepEqual(lines('coredns_dns_request_count_total'), [
    '{"server":"dns://127.0.0.1:53","zone":".","proto":"udp","family":"1"} 2',
    '{"server":"dns://127.0.0.1:53","zone":".","proto":"tcp","family":"1"} 1',
  ]);
  assert.deepEqual(lines('coredns_dns_request_type_count_total'), [
    '{"server":"dns://127.0.0.1:53","zone":".","type":"A"} 2',
    '{"server":"dns://127.0.0.1:53","zone":".","type":"AAAA"} 1',
  ]);
  assert.deepEqual(lines('coredns_dns_response_rcode_count_total'), [
    '{"server":"dns://127.0.0.1:53","zone":".","rcode":"NOERROR"} 3',
  ]);
  assert.deepEqual(lines('coredns_dns_request_do_count_total'), [
    '{"server":"dns://127.0.0.1:53","zone":"."} 1',
  ]);
  assert.equal(s.value('coredns_dns_requests_total'), 3, 'the new names stay');
});

test('a listener that moves: its later queries count under the new server label', async () => {
  const m = new DnsMetrics();
  m.setServer('dns', 'dns://127.0.0.1:53');
  await run(m, [[query('web.shop.svc.cluster.local'), 'udp']]);
  m.setServer('dns', 'dns://127.0.0.1:5353');
  await run(m, [
    [query('web.shop.svc.cluster.local'), 'udp'],
    [query('web.shop.svc.cluster.local'), 'tcp'],
  ]);
  const s = await scrape(m);
  assert.equal(s.value('coredns_dns_requests_total', { server: 'dns://127.0.0.1:53' }), 1);
  assert.equal(s.value('coredns_dns_requests_total', { server: 'dns://127.0.0.1:5353' }), 2);
  assert.equal(m.server('dns'), 'dns://127.0.0.1:5353');
});

test('an observed query without a reply counts nowhere', async () => {
  const m = new DnsMetrics();
  const q: ObservedQuery = {
    query: query('web.shop.svc.cluster.local'),
    reply: null,
    proto: 'udp',
    client: v4,
    durationMs: 1,
    cached: false,
  };
  m.observe(q);
  assert.equal((await scrape(m)).samples.length, 0);
});
