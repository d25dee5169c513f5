// Real DoH clients against the container's DoH listener (HTTPS + HTTP/2, a self-signed certificate
// for 127.0.0.1 in test/fixtures/tls): kdig +https, dig +https and +https-get, curl --doh-url
// (which then connects to the address it resolved: a Service at 127.0.0.2 with a server the test
// runs there), and curl on the JSON API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { parseClientOutput } from './support/client-output.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { normalizeLine } from './support/presentation.ts';
import { requireTool, run } from './support/tools.ts';

const KUBERNETES = 'kubernetes.default.svc.cluster.local';
const LOOPBACK_SERVICE = 'web.loop.svc.cluster.local';
const LOOPBACK_IP = '127.0.0.2';

let container: EntryProcess;
let doh: URL;
let web: Server;
let webPort = 0;

before(async () => {
  // A Service whose cluster IP is a loopback address, and a web server there for curl to reach.
  web = createServer((_req, res) => res.end('hello from 127.0.0.2\n'));
  await new Promise<void>((resolve) => web.listen(0, LOOPBACK_IP, resolve));
  webPort = (web.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-doh-'));
  const snapshot = join(dir, 'loop.json');
  writeFileSync(
    snapshot,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'loop' } },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web', namespace: 'loop' },
          spec: {
            type: 'ClusterIP',
            clusterIP: LOOPBACK_IP,
            clusterIPs: [LOOPBACK_IP],
            ports: [{ name: 'http', port: webPort, protocol: 'TCP' }],
          },
        },
      ],
    }),
  );
  container = startEntry('functions/entry/container.ts', [
    '--snapshot',
    SAMPLE_CLUSTER,
    '--snapshot',
    snapshot,
    '--dns',
    '127.0.0.1:0',
    '--doh',
    '127.0.0.1:0',
    '--doh-cert',
    'test/fixtures/tls/localhost.crt',
    '--doh-key',
    'test/fixtures/tls/localhost.key',
  ]);
  const line = await container.waitFor(/^edge-dns DoH on (\S+)\/dns-query/, {
    stream: 'stdout',
    timeoutMs: 60_000,
  });
  doh = new URL(/^edge-dns DoH on (\S+)\/dns-query/.exec(line)![1]!);
});

after(async () => {
  await container?.stop();
  web?.close();
});

// How each client reports the transport it used: kdig its HTTP session, dig its server line.
const dnsClients: { tool: 'kdig' | 'dig'; options: string[]; via: RegExp }[] = [
  { tool: 'kdig', options: ['+https'], via: /HTTP session \(HTTP\/2-POST\)/ },
  { tool: 'kdig', options: ['+https-get'], via: /HTTP session \(HTTP\/2-GET\)/ },
  { tool: 'dig', options: ['+https'], via: /^;; SERVER: .*\(HTTPS\)$/m },
  { tool: 'dig', options: ['+https-get'], via: /^;; SERVER: .*\(HTTPS-GET\)$/m },
];

for (const { tool, options, via } of dnsClients) {
  test(`${tool} ${options.join(' ')}: A of a ClusterIP service over DoH`, async (t) => {
    const skip = requireTool(tool);
    if (skip) return t.skip(skip);
    const common =
      tool === 'dig'
        ? ['+time=5', '+tries=1', '+noall', '+comments', '+answer', '+stats']
        : ['+timeout=5', '+retry=0'];
    const out = parseClientOutput(
      await run(tool, ['-p', doh.port, '@127.0.0.1', ...common, ...options, KUBERNETES, 'A']),
    );
    assert.equal(out.status, 'NOERROR', out.text);
    assert.deepEqual(out.answer, [normalizeLine(`${KUBERNETES}. 5 IN A 10.96.0.1`)], out.text);
    assert.match(out.text, via, `the client went over DoH:\n${out.text}`);
  });
}

test('kdig +https: NXDOMAIN carries the zone SOA', async (t) => {
  const skip = requireTool('kdig');
  if (skip) return t.skip(skip);
  const out = parseClientOutput(
    await run('kdig', [
      '-p',
      doh.port,
      '@127.0.0.1',
      '+timeout=5',
      '+retry=0',
      '+https',
      'nope.default.svc.cluster.local',
      'A',
    ]),
  );
  assert.equal(out.status, 'NXDOMAIN', out.text);
  assert.match(
    out.authority[0] ?? '',
    /^cluster\.local\. 5 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. /,
  );
});

test('curl --doh-url resolves a Service and connects to it', async (t) => {
  const skip = requireTool('curl');
  if (skip) return t.skip(skip);
  const body = await run('curl', [
    '-sS',
    '--max-time',
    '10',
    '--doh-url',
    `${doh.origin}/dns-query`,
    '--doh-insecure',
    `http://${LOOPBACK_SERVICE}:${webPort}/`,
  ]);
  assert.equal(body, 'hello from 127.0.0.2\n');
});

test('curl on the JSON API', async (t) => {
  const skip = requireTool('curl');
  if (skip) return t.skip(skip);
  for (const url of [
    `${doh.origin}/resolve?name=${KUBERNETES}&type=A`,
    `${doh.origin}/dns-query?name=${KUBERNETES}&type=1`,
  ]) {
    const text = await run('curl', [
      '-sS',
      '-k',
      '--max-time',
      '10',
      '-H',
      'accept: application/dns-json',
      url,
    ]);
    const json = JSON.parse(text) as {
      Status: number;
      Answer?: { name: string; type: number; TTL: number; data: string }[];
    };
    assert.equal(json.Status, 0, text);
    assert.deepEqual(
      json.Answer?.map((a) => [a.type, a.TTL, a.data]),
      [[1, 5, '10.96.0.1']],
      text,
    );
  }
});

test('curl over HTTP/2: the JSON answer with Cache-Control from the TTL', async (t) => {
  const skip = requireTool('curl');
  if (skip) return t.skip(skip);
  const headers = await run('curl', [
    '-sS',
    '-k',
    '--http2',
    '--max-time',
    '10',
    '-o',
    '/dev/null',
    '-D',
    '-',
    `${doh.origin}/resolve?name=${KUBERNETES}&type=A`,
  ]);
  assert.match(headers, /^HTTP\/2 200/m);
  assert.match(headers, /^cache-control: max-age=5/im);
});

test('without --doh-insecure curl does not trust the self-signed DoH server: the name does not resolve', async (t) => {
  const skip = requireTool('curl');
  if (skip) return t.skip(skip);
  await assert.rejects(
    run('curl', [
      '-sS',
      '--max-time',
      '10',
      '--doh-url',
      `${doh.origin}/dns-query`,
      `http://${LOOPBACK_SERVICE}:${webPort}/`,
    ]),
    /exit 6[\s\S]*Couldn't resolve host/,
  );
});
