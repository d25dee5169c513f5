// The Corefile's acl over DoH, as on port 53 (docs/architecture.md §6.15): the client is the HTTP
// connection's peer. block is REFUSED with EDE 15, filter an empty NOERROR with EDE 17, both
// HTTP 200 (RFC 8484 §4.2.1); drop is an empty 403. A wire GET (the fast path) and a wire POST
// (the app) get the same status, headers and bytes; the JSON API the same rcode. Clients on
// 127.0.0.1 and 127.0.0.2 (both loopback) are told apart by the rules.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket, { type RecordType } from 'dns-packet';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { edeOf, makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { scrapeMetrics } from './support/prometheus-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-acl-doh-'));
const NAME = 'kubernetes.default.svc.cluster.local';
let server: EntryProcess;
let doh: number;
let dns: number;

before(async () => {
  const corefile = join(dir, 'Corefile');
  writeFileSync(
    corefile,
    [
      'cluster.local:0 {',
      '  bind 127.0.0.1',
      `  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, SAMPLE_CLUSTER)}\n  }`,
      '  acl {',
      '    allow net 127.0.0.2',
      '    block type A',
      '    filter type AAAA',
      '    drop type TXT',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  server = startEntry('functions/entry/container.ts', [
    // Metrics on: the DoH paths run with the query observers.
    ...['--corefile', corefile, '--doh', '127.0.0.1:0', '--metrics', '127.0.0.1:0'],
  ]);
  const ready = await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
  dns = Number(/udp:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
  doh = Number(/DoH on http:\/\/127\.0\.0\.1:(\d+)/.exec(server.stdout())![1]);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP/1.1 request to the DoH listener from the source address `from`. */
function http(
  from: string,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: doh, localAddress: from, method, path, headers, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const { date: _date, connection: _c, 'keep-alive': _k, ...rest } = res.headers;
          resolve({ status: res.statusCode!, headers: rest, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no response within 5 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** "STATUS RCODE ede=N answers" of a wire DoH reply; "403 empty" for an empty body. */
function shown(r: HttpReply): string {
  if (r.body.length === 0) return `${r.status} empty`;
  const p = dnsPacket.decode(r.body);
  const data = (p.answers ?? []).map((a) => (a as { data?: unknown }).data);
  return [r.status, rcodeOf(p), `ede=${edeOf(p)}`, ...data].join(' ');
}

const RCODES: Record<string, number> = { NOERROR: 0, REFUSED: 5 };

// [client, name, type, what the client gets over DoH]
const rows: [from: string, name: string, type: RecordType, want: string][] = [
  ['127.0.0.2', NAME, 'A', '200 NOERROR ede=undefined 10.96.0.1'],
  ['127.0.0.1', NAME, 'A', '200 REFUSED ede=15'],
  ['127.0.0.1', NAME, 'AAAA', '200 NOERROR ede=17'],
  ['127.0.0.1', NAME, 'TXT', '403 empty'],
  ['127.0.0.2', NAME, 'TXT', '200 NOERROR ede=undefined'],
  ['127.0.0.1', 'cluster.local', 'NS', '200 NOERROR ede=undefined ns.dns.cluster.local'],
];

for (const [from, name, type, want] of rows)
  test(`DoH from ${from}: ${name} ${type} -> ${want}`, async () => {
    const query = dnsPacket.encode(makeQuery(name, type, { id: 0, edns: 1232 }));
    const get = await http(from, 'GET', `/dns-query?dns=${query.toString('base64url')}`);
    const post = await http(
      from,
      'POST',
      '/dns-query',
      { 'content-type': 'application/dns-message' },
      query,
    );
    assert.equal(shown(get), want, 'GET (the fast path)');
    assert.deepEqual(post, get, 'POST (the app): the same status, headers and bytes');
    const json = await http(from, 'GET', `/resolve?name=${name}&type=${type}`);
    if (want.startsWith('403')) assert.deepEqual(json, get, 'JSON: the same 403');
    else {
      assert.equal(json.status, 200);
      const rcode = want.split(' ')[1]!;
      assert.equal(JSON.parse(json.body.toString()).Status, RCODES[rcode], 'JSON rcode');
    }
  });

test('port 53 takes the same rules: 127.0.0.1 asking A is REFUSED', async () => {
  const reply = await queryUdp(
    { host: '127.0.0.1', port: dns },
    makeQuery(NAME, 'A', { edns: 1232 }),
    3000,
  );
  assert.equal(`${rcodeOf(reply)} ede=${edeOf(reply)}`, 'REFUSED ede=15');
});

test('each DoH request counts once, though the fast path hands some to the app', async () => {
  const url = /edge-dns metrics on (http:\/\/\S+\/metrics)/.exec(server.stdout())![1]!;
  const m = await scrapeMetrics(url);
  const zone = { zone: 'cluster.local.' };
  // GET, POST and JSON for each row; the blocked one also once over UDP.
  assert.equal(m.value('coredns_acl_blocked_requests_total', zone), 4);
  assert.equal(m.value('coredns_acl_filtered_requests_total', zone), 3);
  assert.equal(m.value('coredns_acl_dropped_requests_total', zone), 3);
});
