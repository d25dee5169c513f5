// The container's Prometheus metrics (CoreDNS `prometheus`), end to end: a real process on the
// sample cluster with a loopback upstream for a stub zone, N queries of each kind over real UDP,
// TCP and DoH, and /metrics scraped before and after: every counter moved by exactly what was
// sent, with CoreDNS's names, labels and buckets (functions/metrics/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { makeQuery, queryTcp, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startContainer, SAMPLE_CLUSTER, type Container } from './support/container.ts';
import { a, answer, startScriptedUpstream } from './support/scripted-upstream.ts';
import { scrapeMetrics, type Scrape } from './support/prometheus-text.ts';
import { pollUntil } from './support/poll.ts';

const N = 5;

/** The kinds of query, each sent N times over each transport, and what CoreDNS would count. */
const kinds: {
  kind: string;
  wire: Buffer;
  rcode: string;
  /** The type label; 'other' for what CoreDNS does not name. */
  type: string;
  /** The plugin of the first answer; the rest come from the answer cache (plugin "cache"). */
  first: 'kubernetes' | 'forward' | '';
  cached: 'success' | 'denial' | 'never';
  zone?: 'dropped';
  do?: true;
}[] = [
  {
    kind: 'A hit',
    wire: encode(makeQuery('kubernetes.default.svc.cluster.local', 'A')),
    rcode: 'NOERROR',
    type: 'A',
    first: 'kubernetes',
    cached: 'success',
  },
  {
    kind: 'A hit, EDNS with DO',
    wire: withDo('kubernetes.default.svc.cluster.local'),
    rcode: 'NOERROR',
    type: 'A',
    first: 'kubernetes',
    cached: 'success',
    do: true,
  },
  {
    kind: 'NODATA',
    wire: encode(makeQuery('kubernetes.default.svc.cluster.local', 'AAAA')),
    rcode: 'NOERROR',
    type: 'AAAA',
    first: 'kubernetes',
    cached: 'denial',
  },
  {
    kind: 'NXDOMAIN',
    wire: encode(makeQuery('nothing.default.svc.cluster.local', 'A')),
    rcode: 'NXDOMAIN',
    type: 'A',
    first: 'kubernetes',
    cached: 'denial',
  },
  {
    kind: 'SRV',
    wire: encode(makeQuery('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV')),
    rcode: 'NOERROR',
    type: 'SRV',
    first: 'kubernetes',
    cached: 'success',
  },
  {
    kind: 'PTR',
    wire: encode(makeQuery('1.0.96.10.in-addr.arpa', 'PTR')),
    rcode: 'NOERROR',
    type: 'PTR',
    first: 'kubernetes',
    cached: 'success',
  },
  {
    kind: 'REFUSED outside every zone',
    wire: encode(makeQuery('www.example.org', 'A')),
    rcode: 'REFUSED',
    type: 'A',
    first: '',
    cached: 'never',
  },
  {
    kind: 'FORMERR garbage (QDCOUNT 5, nothing after the header)',
    wire: Buffer.from([0x12, 0x34, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0x6a, 0x75, 0x6e, 0x6b]),
    rcode: 'FORMERR',
    type: 'other',
    first: '',
    cached: 'never',
    zone: 'dropped',
  },
  {
    kind: 'forwarded (stub zone example.com)',
    wire: encode(makeQuery('www.example.com', 'A')),
    rcode: 'NOERROR',
    type: 'A',
    first: 'forward',
    cached: 'success',
  },
];

function encode(packet: dnsPacket.Packet): Buffer {
  return dnsPacket.encode(packet);
}

function withDo(name: string): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 1,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'A', class: 'IN' }],
    additionals: [
      { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK } as never,
    ],
  });
}

/** The address a start-up line names: `edge-dns metrics on http://...` or `edge-dns DoH on ...`. */
function printed(c: Container, pattern: RegExp): string {
  const found = pattern.exec(c.stdout())?.[1];
  assert.ok(found, `no ${pattern} in:\n${c.stdout()}`);
  return found;
}

/** One DoH wire GET (RFC 8484 §4.1: the Node fast path, the app for what it declines). */
async function dohGet(base: string, wire: Buffer): Promise<number> {
  const url = `${base}/dns-query?dns=${wire.toString('base64url')}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

/** The change of each series between two scrapes (undefined counts as 0). */
const delta =
  (before: Scrape, after: Scrape) =>
  (name: string, labels: Record<string, string> = {}) =>
    (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);

test('every kind of query over UDP, TCP and DoH moves the CoreDNS series by exactly what was sent', async () => {
  const up = await startScriptedUpstream();
  up.script('www.example.com', 'A', answer([a('www.example.com', '127.0.0.5', 300)]));
  const c = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    '--doh',
    '127.0.0.1:0',
    '--metrics',
    '127.0.0.1:0',
    '--forward',
    `example.com=${up.address}`,
  ]);
  try {
    const metricsUrl = printed(c, /edge-dns metrics on (http:\/\/\S+\/metrics)/);
    const doh = printed(c, /edge-dns DoH on (http:\/\/\S+)\/dns-query/);
    const dnsServer = `dns://127.0.0.1:${c.udp.port}`;
    const dohServer = `https://127.0.0.1:${new URL(doh).port}`;
    const before = await scrapeMetrics(metricsUrl);
    for (const k of kinds) {
      for (let i = 0; i < N; i++) {
        const reply = await queryUdp(c.udp, k.wire);
        assert.equal(rcodeOf(reply), k.rcode, `${k.kind} over UDP`);
      }
      // One connection per query: pipelined, the first ones would all miss the cache together.
      for (let i = 0; i < N; i++) {
        const [reply] = await queryTcp(c.tcp, [k.wire]);
        assert.equal(rcodeOf(reply!), k.rcode, `${k.kind} over TCP`);
      }
      for (let i = 0; i < N; i++)
        assert.equal(await dohGet(doh, k.wire), k.rcode === 'FORMERR' ? 400 : 200, k.kind);
    }
    const total = kinds.length * N * 3;
    // Observers run in a microtask after each reply is handed over: wait until the last is counted.
    const after = await pollUntil(
      () => scrapeMetrics(metricsUrl),
      (s) =>
        (s.value('coredns_dns_requests_total') ?? 0) -
          (before.value('coredns_dns_requests_total') ?? 0) >=
        total,
      { what: `${total} requests counted` },
    );
    const d = delta(before, after);
    assert.equal(d('coredns_dns_requests_total'), total, 'nothing else was counted');

    // Requests by server, zone, proto, family and type. DoH is proto "tcp" on its https:// server.
    const transports = [
      { server: dnsServer, proto: 'udp' },
      { server: dnsServer, proto: 'tcp' },
      { server: dohServer, proto: 'tcp' },
    ];
    for (const t of transports)
      for (const type of new Set(kinds.map((k) => k.type)))
        for (const zone of ['.', 'dropped']) {
          const sent = kinds.filter((k) => k.type === type && (k.zone ?? '.') === zone).length * N;
          const labels = { server: t.server, zone, view: '', proto: t.proto, family: '1', type };
          assert.equal(d('coredns_dns_requests_total', labels), sent, JSON.stringify(labels));
        }

    // Responses by rcode and plugin: one answer of each kind was worked out (by kubernetes or
    // forward); every repeat came from the answer cache ("cache"); the server's own errors are "".
    for (const rcode of new Set(kinds.map((k) => k.rcode))) {
      const of = kinds.filter((k) => k.rcode === rcode);
      const worked = (plugin: string) => of.filter((k) => k.first === plugin).length;
      const byPlugin = {
        kubernetes: worked('kubernetes'),
        forward: worked('forward'),
        '': worked('') * N * 3,
        cache: of.filter((k) => k.first !== '').length * (N * 3 - 1),
      };
      for (const [plugin, n] of Object.entries(byPlugin))
        assert.equal(
          d('coredns_dns_responses_total', { rcode, plugin }),
          n,
          `${rcode} "${plugin}"`,
        );
    }
    assert.equal(
      d('coredns_dns_responses_total', {
        server: dohServer,
        zone: 'dropped',
        rcode: 'FORMERR',
        plugin: '',
      }),
      N,
      'a FORMERR over DoH (HTTP 400) is counted once, though the fast path passed it to the app',
    );

    // Histograms: one observation per query, per server and type / proto.
    for (const t of transports) {
      const perServer = t.server === dnsServer ? 2 : 1;
      assert.equal(
        d('coredns_dns_request_duration_seconds_count', { server: t.server, type: 'A' }),
        kinds.filter((k) => k.type === 'A').length * N * perServer,
      );
      for (const family of ['coredns_dns_request_size_bytes', 'coredns_dns_response_size_bytes'])
        assert.equal(
          d(`${family}_count`, { server: t.server, proto: t.proto }),
          kinds.length * N,
          `${family} ${t.server} ${t.proto}`,
        );
    }
    assert.equal(
      d('coredns_dns_request_duration_seconds_bucket', {
        server: dnsServer,
        type: 'SRV',
        le: '+Inf',
      }),
      2 * N,
    );
    assert.equal(d('coredns_dns_do_requests_total', { zone: '.', view: '' }), N * 3);

    // The cache, as CoreDNS's one cache in the `.` block: each query one hit or one miss.
    const repeats = (cached: string) =>
      kinds.filter((k) => k.cached === cached).length * (N * 3 - 1);
    assert.equal(
      d('coredns_cache_hits_total', { type: 'success', zones: '.', view: '' }),
      repeats('success'),
    );
    assert.equal(d('coredns_cache_hits_total', { type: 'denial' }), repeats('denial'));
    assert.equal(
      d('coredns_cache_misses_total', { zones: '.', view: '' }),
      kinds.filter((k) => k.cached !== 'never').length + N * 3, // + every REFUSED
    );
    assert.ok((after.value('coredns_cache_entries', { type: 'success' }) ?? 0) >= 5);
    assert.ok((after.value('coredns_cache_entries', { type: 'denial' }) ?? 0) >= 2);

    // Forwarding: one upstream exchange, timed, with its rcode.
    assert.equal(up.count('www.example.com', 'A'), 1);
    assert.equal(
      d('coredns_proxy_request_duration_seconds_count', {
        proxy_name: 'forward',
        to: up.address,
        rcode: 'NOERROR',
      }),
      1,
    );
    assert.equal(after.value('coredns_forward_max_concurrent_rejects_total'), 0);

    // Process and records series.
    assert.equal(after.value('coredns_build_info', { goversion: process.version }), 1);
    assert.equal(after.value('coredns_reload_failed_total'), 0);
    assert.ok((after.value('process_resident_memory_bytes') ?? 0) > 10e6);
    assert.equal(after.value('edge_dns_source_state', { state: 'snapshot' }), 1);
    assert.equal(after.value('edge_dns_last_known_good'), 0);
    assert.equal(after.value('edge_dns_records_names'), 83);
    assert.ok((after.value('edge_dns_records_age_seconds') ?? -1) >= 0);
  } finally {
    await c.stop();
    await up.close();
  }
});

test('DoH POST and the JSON API are counted with their client; the warm-up is not counted', async () => {
  const c = await startContainer([
    '--snapshot',
    SAMPLE_CLUSTER,
    '--doh',
    '[::1]:0',
    '--metrics',
    '127.0.0.1:0',
  ]);
  try {
    const metricsUrl = printed(c, /edge-dns metrics on (http:\/\/\S+\/metrics)/);
    const doh = printed(c, /edge-dns DoH on (http:\/\/\S+)\/dns-query/);
    const start = await scrapeMetrics(metricsUrl);
    assert.equal(start.value('coredns_dns_requests_total'), undefined, 'no query yet');
    const wire = encode(makeQuery('kubernetes.default.svc.cluster.local', 'A'));
    const post = await fetch(`${doh}/dns-query`, {
      method: 'POST',
      headers: { 'content-type': 'application/dns-message' },
      body: new Uint8Array(wire),
    });
    assert.equal(post.status, 200);
    await post.arrayBuffer();
    const json = await fetch(`${doh}/resolve?name=kubernetes.default.svc.cluster.local&type=SRV`);
    assert.equal(json.status, 200);
    await json.text();
    const after = await pollUntil(
      () => scrapeMetrics(metricsUrl),
      (s) => s.value('coredns_dns_requests_total') === 2,
      { what: 'two DoH requests counted' },
    );
    const server = `https://[::1]:${new URL(doh).port}`;
    const labels = { server, zone: '.', view: '', proto: 'tcp', family: '2' };
    assert.equal(after.value('coredns_dns_requests_total', { ...labels, type: 'A' }), 1);
    assert.equal(after.value('coredns_dns_requests_total', { ...labels, type: 'SRV' }), 1);
  } finally {
    await c.stop();
  }
});

test('metrics.legacyNames in the config file also exports the pre-1.7 CoreDNS names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-metrics-'));
  const config = join(dir, 'edge-dns.yaml');
  writeFileSync(config, 'metrics:\n  listen: 127.0.0.1:0\n  legacyNames: true\n');
  const c = await startContainer(['--config', config, '--snapshot', SAMPLE_CLUSTER]);
  try {
    const metricsUrl = printed(c, /edge-dns metrics on (http:\/\/\S+\/metrics)/);
    const server = `dns://127.0.0.1:${c.udp.port}`;
    for (let i = 0; i < N; i++) {
      await queryUdp(c.udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
      await queryTcp(c.tcp, [makeQuery('nothing.default.svc.cluster.local', 'AAAA')]);
    }
    const s = await pollUntil(
      () => scrapeMetrics(metricsUrl),
      (x) => x.value('coredns_dns_request_count_total') === 2 * N,
      { what: `${2 * N} requests under the legacy name` },
    );
    const zone = { server, zone: '.' };
    assert.equal(
      s.value('coredns_dns_request_count_total', { ...zone, proto: 'udp', family: '1' }),
      N,
    );
    assert.equal(
      s.value('coredns_dns_request_count_total', { ...zone, proto: 'tcp', family: '1' }),
      N,
    );
    assert.equal(s.value('coredns_dns_request_type_count_total', { ...zone, type: 'A' }), N);
    assert.equal(s.value('coredns_dns_request_type_count_total', { ...zone, type: 'AAAA' }), N);
    assert.equal(
      s.value('coredns_dns_response_rcode_count_total', { ...zone, rcode: 'NOERROR' }),
      N,
    );
    assert.equal(
      s.value('coredns_dns_response_rcode_count_total', { ...zone, rcode: 'NXDOMAIN' }),
      N,
    );
    assert.equal(s.value('coredns_dns_request_do_count_total'), undefined, 'no DO query sent');
    assert.equal(s.value('coredns_dns_requests_total'), 2 * N, 'the new names stay');
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
