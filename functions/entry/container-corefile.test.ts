// A Corefile as the container's configuration: process plugins and the kubernetes source become
// the keys a YAML file sets, each block keeps its query-time plugins, and the one schema (plus
// each plugin's own option checks) judges the result; problems name the Corefile's file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { memoryCorefileIo } from '../corefile/memory-io.ts';
import { configFromCorefile } from './container-corefile.ts';
import { validateConfig } from './container-config.ts';
import { checkBlocks } from './container-blocks.ts';
import { reloadSchema } from './container-process-config.ts';

/** The Corefile `text` checked as start-up checks it: parse, map, schema, plugin options. */
function load(text: string) {
  const corefile = parseCorefile(text, 'Corefile', {
    ...memoryCorefileIo({ Corefile: text }),
    env: {},
  });
  const config = validateConfig(configFromCorefile(corefile).data, 'Corefile');
  if (config.servers) checkBlocks(config.servers);
  return config;
}

test('the seed shape: process plugins, kubernetes options, per-block plugins', () => {
  const config = load(`(common) {
  errors
  log
  health {
    lameduck 5s
  }
  ready
  prometheus :9153
  cache 30
  reload
  loadbalance
}
cluster.local:1053 {
  import common
  kubernetes cluster.local in-addr.arpa {
    pods insecure
    ttl 30
    fallthrough in-addr.arpa
  }
}
.:1053 {
  import common
  forward . 127.0.0.1:5300 {
    policy sequential
  }
}
`);
  assert.equal(config.dns.listen, '0.0.0.0:1053');
  assert.deepEqual(config.health, { listen: '0.0.0.0:8080', lameduck: 5000 });
  assert.equal(config.ready.listen, '0.0.0.0:8181');
  assert.equal(config.metrics.listen, '0.0.0.0:9153');
  assert.equal(config.reload.interval, 30_000);
  assert.equal(config.log?.format, '{common}');
  assert.deepEqual(config.kubernetes.zones, ['cluster.local', 'in-addr.arpa']);
  assert.equal(config.kubernetes.pods, 'insecure');
  assert.equal(config.kubernetes.ttl, 30);
  assert.equal(
    config.kubernetes.inCluster,
    true,
    'no kubeconfig or snapshot: in-cluster, as CoreDNS',
  );
  assert.deepEqual(
    config.servers?.map((s) => [s.zones, s.plugins.map((p) => p.name)]),
    [
      [['cluster.local'], ['cache', 'loadbalance', 'kubernetes']],
      [[''], ['cache', 'loadbalance', 'forward']],
    ],
  );
  assert.deepEqual(config.forward, [], 'forward stays in its block');
});

const bad: [corefile: string, error: RegExp][] = [
  [
    'cluster.local:1053 {\n  kubernetes {\n    namespace_labels app=x\n  }\n}\n',
    /Corefile:3 - .*namespace_labels: option not supported/,
  ],
  ['.:1053 {\n  forward .\n}\n', /Corefile:2 - .*forward: expected FROM TO/],
  ['.:1053 {\n  hosts {\n    ttl forever\n  }\n}\n', /Corefile:3 - /],
  ['.:1053 {\n  template IN A {\n    rcode MAYBE\n  }\n}\n', /Corefile:3 - /],
  ['.:1053 {\n  rewrite name regex (a b.\n}\n', /Corefile:2 - /],
  ['.:1053 {\n  loadbalance fair\n}\n', /Corefile:2 - /],
  ['.:1053 {\n  file\n}\n', /Corefile:2 - .*expected DBFILE/],
  [
    '.:1053 {\n  health :8080\n}\nexample.org:1053 {\n  health :8081\n}\n',
    /Corefile:5 - .*differs from the one at Corefile:2/,
  ],
  ['.:1053 {\n  whoami\n}\n', /Corefile:2 - .*not supported by edge-dns/],
  ['.:53 {\n}\nexample.org:1053 {\n}\n', /one DNS port; these blocks use 53 and 1053/],
  ['https://.:443 {\n}\n', /only dns:\/\/ and tls:\/\/ server blocks/],
  ['tls://.:853 {\n}\n', /dot.cert: DoT needs a certificate/],
  ['.:1053 {\n  tls c.pem k.pem\n}\n', /Corefile:2 - .*tls:\/\/ server blocks only/],
  ['tls://.:853 {\n  tls c.pem k.pem ca.pem\n}\n', /Corefile:2 - .*mutual TLS/],
  ['tls://.:853 {\n  tls c.pem\n}\n', /Corefile:2 - .*expected tls CERT KEY/],
  [
    'tls://.:853 {\n  tls c.pem k.pem\n}\ntls://example.org:8853 {\n  tls c.pem k.pem\n}\n',
    /one DoT port; these tls:\/\/ blocks use 853 and 8853/,
  ],
  [
    'tls://.:853 {\n  tls c.pem k.pem\n}\ntls://example.org:853 {\n  tls d.pem k.pem\n}\n',
    /Corefile:5 - .*differs from the one at Corefile:2/,
  ],
  [
    'tls://.:1053 {\n  tls c.pem k.pem\n}\n.:1053 {\n}\n',
    /tls:\/\/ and dns:\/\/ blocks both use port 1053/,
  ],
  [
    '.:1053 {\n  forward . tls://192.0.2.1 {\n    tls a b c d\n  }\n}\n',
    /Corefile:3 - .*expected tls \[CERT KEY\] \[CA\]/,
  ],
  [
    '.:1053 {\n  forward . tls://192.0.2.1 {\n    tls_servername not_a_name\n  }\n}\n',
    /Corefile:2 - .*tlsServerName: expected a host name/,
  ],
  ['.:1053 {\n  kubernetes\n  kubernetes\n}\n', /Corefile:3 - .*second kubernetes/],
  ['.:1053 {\n  cache 30\n  cache 60\n}\n', /Corefile:3 - .*second cache/],
  [
    '.:1053 {\n  forward . quic://192.0.2.1\n}\n',
    /Corefile:2 - .*forward: to\[0\].*unknown scheme/,
  ],
  [
    '.:1053 {\n  bufsize 512\n}\nexample.org:1053 {\n  bufsize 1024\n}\n',
    /Corefile:5 - .*1024 differs from the 512 at Corefile:2/,
  ],
  ['.:1053 {\n  bufsize 100\n}\n', /Corefile:2 - .*SIZE must be within 512 - 4096/],
  ['.:1053 {\n  any\n  any\n}\n', /Corefile:3 - .*second any/],
  ['.:1053 {\n  loop 5\n}\n', /Corefile:2 - .*loop: unexpected argument/],
  [
    'cluster.local:1053 {\n  autopath @kubernetes\n  kubernetes {\n    pods insecure\n  }\n}\n',
    /Corefile:2 - .*autopath: @kubernetes needs a kubernetes plugin with 'pods verified'/,
  ],
  ['.:1053 {\n  autopath /etc/resolv.conf\n}\n', /Corefile:2 - .*only @kubernetes is supported/],
  [
    '.:1053 {\n  reload 10s 6s\n}\n',
    /Corefile:2 - .*reload: JITTER 6s is more than half the INTERVAL 10s/,
  ],
  ['.:1053 {\n  reload 1m 5s 5s\n}\n', /Corefile:2 - .*expected reload \[INTERVAL \[JITTER\]\]/],
];

// tls:// blocks: the one DoT listener (port 853 unless written, at the bind address), its
// certificate from `tls CERT KEY`; their zones join the dns:// blocks' (port 53 unless written).
const dotBlocks: [corefile: string, dns: string, dot: unknown][] = [
  [
    'tls://.:8853 {\n  tls c.pem k.pem\n}\n.:1053 {\n}\n',
    '0.0.0.0:1053',
    { listen: '0.0.0.0:8853', cert: 'c.pem', key: 'k.pem' },
  ],
  [
    'tls://. {\n  tls c.pem k.pem\n}\n',
    '0.0.0.0:53',
    { listen: '0.0.0.0:853', cert: 'c.pem', key: 'k.pem' },
  ],
  [
    'tls://example.org dns://example.org:1053 {\n  bind 127.0.0.1 ::1\n  tls c.pem k.pem\n}\n',
    '127.0.0.1:1053',
    { listen: '127.0.0.1:853', cert: 'c.pem', key: 'k.pem' },
  ],
];
for (const [corefile, dns, dot] of dotBlocks)
  test(`tls:// blocks: ${JSON.stringify(corefile.split('\n')[0])} -> DoT ${JSON.stringify(dot)}`, () => {
    const config = load(corefile);
    assert.equal(config.dns.listen, dns);
    assert.deepEqual(config.dot, dot);
  });

test('forward to tls:// upstreams: tls_servername and the CA file of `tls`', () => {
  const config = load(
    '.:1053 {\n  forward . tls://192.0.2.1 tls://192.0.2.2:8853 {\n    tls_servername dns.example\n    tls ca.pem\n  }\n}\n',
  );
  assert.equal(config.servers?.[0]?.plugins[0]?.name, 'forward');
});

// CoreDNS `reload [INTERVAL [JITTER]]`: 30s and 15s by default, an unwritten JITTER capped at half
// the INTERVAL; without the plugin the Corefile is not compared on a timer (signals still reload).
const reloads: [line: string | undefined, intervalMs: number, jitterMs: number][] = [
  ['reload', 30_000, 15_000],
  ['reload 10s', 10_000, 5_000],
  ['reload 2m', 120_000, 15_000],
  ['reload 1m 20s', 60_000, 20_000],
  ['reload 0', 0, 0],
  [undefined, 0, 0],
];
for (const [line, interval, jitter] of reloads) {
  test(`${line ?? 'no reload'}: every ${interval} ms +- ${jitter} ms`, () => {
    const config = load(`.:1053 {\n  ${line ?? 'errors'}\n}\n`);
    assert.deepEqual(config.reload, { interval, jitter });
  });
}

for (const [corefile, error] of bad) {
  test(`refused: ${JSON.stringify(corefile.split('\n')[1])}`, () => {
    assert.throws(() => load(corefile), error);
  });
}

test('a flag that lowers the interval caps the Corefile jitter at half of it', () => {
  assert.deepEqual(reloadSchema.parse({ interval: '4s', jitter: '20s' }), {
    interval: 4_000,
    jitter: 2_000,
  });
});
