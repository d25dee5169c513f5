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
    '.:1053 {\n  kubernetes {\n    labels app=x\n  }\n}\n',
    /Corefile:3 - .*labels: option not supported/,
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
  ['tls://.:853 {\n}\n', /only dns:\/\/ server blocks/],
  ['.:1053 {\n  kubernetes\n  kubernetes\n}\n', /Corefile:3 - .*second kubernetes/],
  ['.:1053 {\n  cache 30\n  cache 60\n}\n', /Corefile:3 - .*second cache/],
];

for (const [corefile, error] of bad) {
  test(`refused: ${JSON.stringify(corefile.split('\n')[1])}`, () => {
    assert.throws(() => load(corefile), error);
  });
}
