import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromArgs } from './container-flags.ts';
import { splitHostPort } from './container-config.ts';

const files: Record<string, string> = {
  'good.yaml':
    'dns:\n  listen: 0.0.0.0:53\nsnapshots: [a.json]\nkubernetes:\n  ttl: 30\n  pods: verified\n',
  'good.json':
    '{"kubernetes": {"zones": ["Example.ORG.", "0.10.in-addr.arpa"], "namespaces": ["shop"]}}',
  'bad-ttl.yaml': 'kubernetes:\n  ttl: lots\n',
  'bad-pods.yaml': 'kubernetes:\n  pods: sometimes\n',
  'unknown-key.yaml': 'kubernets:\n  ttl: 5\n',
  'bad-listen.yaml': 'dns:\n  listen: localhost\n',
  'not-yaml.yaml': 'kubernetes: [\n',
  'list.yaml': '- a\n- b\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
  return text;
};

test('defaults: what npm start serves', () => {
  const c = configFromArgs([], read);
  assert.equal(c.dns.listen, '127.0.0.1:1053');
  assert.deepEqual(c.kubernetes.zones, ['cluster.local', 'in-addr.arpa', 'ip6.arpa']);
  assert.equal(c.kubernetes.ttl, 5);
  assert.equal(c.kubernetes.pods, 'disabled');
  assert.deepEqual(c.kubernetes.namespaces, []);
  assert.equal(c.dns.tcp.idleTimeoutMs, 10_000);
});

test('a file, with flags laid over it', () => {
  const c = configFromArgs(
    ['--config', 'good.yaml', '--ttl', '7', '--snapshot', 'b.json', '--endpoint-pod-names'],
    read,
  );
  assert.equal(c.dns.listen, '0.0.0.0:53');
  assert.equal(c.kubernetes.ttl, 7);
  assert.equal(c.kubernetes.pods, 'verified');
  assert.equal(c.kubernetes.endpointPodNames, true);
  assert.deepEqual(c.snapshots, ['a.json', 'b.json']);
});

test('JSON files; zones are canonicalised', () => {
  const c = configFromArgs(['--config', 'good.json'], read);
  assert.deepEqual(c.kubernetes.zones, ['example.org', '0.10.in-addr.arpa']);
  assert.deepEqual(c.kubernetes.namespaces, ['shop']);
});

test('every flag mirrors a key', () => {
  const c = configFromArgs(
    [
      '--dns',
      '[::1]:0',
      '--zones',
      'a.local,b.local',
      '--pods',
      'insecure',
      '--namespaces',
      'x,y',
      '--ignore-empty-service',
      '--ns-addresses',
      '10.96.0.10',
      '--tcp-idle-timeout',
      '500',
      '--tcp-max-connections',
      '9',
    ],
    read,
  );
  assert.deepEqual(splitHostPort(c.dns.listen), { host: '::1', port: 0 });
  assert.deepEqual(c.kubernetes.zones, ['a.local', 'b.local']);
  assert.equal(c.kubernetes.pods, 'insecure');
  assert.deepEqual(c.kubernetes.namespaces, ['x', 'y']);
  assert.equal(c.kubernetes.ignoreEmptyService, true);
  assert.deepEqual(c.kubernetes.nsAddresses, ['10.96.0.10']);
  assert.equal(c.dns.tcp.idleTimeoutMs, 500);
  assert.equal(c.dns.tcp.maxConnections, 9);
});

test('DoH listener and its certificate', () => {
  const c = configFromArgs(
    ['--doh', '127.0.0.1:8053', '--doh-cert', 'c.pem', '--doh-key', 'k.pem'],
    read,
  );
  assert.deepEqual(c.doh, { listen: '127.0.0.1:8053', cert: 'c.pem', key: 'k.pem' });
  assert.deepEqual(configFromArgs([], read).doh, {});
});

test('live sources and the probe port', () => {
  const a = configFromArgs(['--kubeconfig', 'kube.yaml', '--health', '127.0.0.1:8080'], read);
  assert.equal(a.kubernetes.kubeconfig, 'kube.yaml');
  assert.equal(a.kubernetes.inCluster, false);
  assert.equal(a.health.listen, '127.0.0.1:8080');
  const b = configFromArgs(['--in-cluster'], read);
  assert.equal(b.kubernetes.inCluster, true);
  assert.equal(b.health.listen, undefined);
});

// A bad config names the file, the field and what was expected.
const errors: [string[], RegExp][] = [
  [['--config', 'bad-ttl.yaml'], /bad-ttl\.yaml: kubernetes\.ttl: .*number/],
  [
    ['--config', 'bad-pods.yaml'],
    /bad-pods\.yaml: kubernetes\.pods: .*"disabled"\|"insecure"\|"verified"|bad-pods\.yaml: kubernetes\.pods: .*disabled.*insecure.*verified/,
  ],
  [['--config', 'unknown-key.yaml'], /unknown-key\.yaml: \(top level\): .*kubernets/],
  [['--config', 'bad-listen.yaml'], /bad-listen\.yaml: dns\.listen: expected HOST:PORT/],
  [['--config', 'not-yaml.yaml'], /not-yaml\.yaml: not valid YAML or JSON/],
  [['--config', 'list.yaml'], /list\.yaml: expected a mapping/],
  [['--config', 'missing.yaml'], /missing\.yaml: cannot read config file/],
  [['--ttl', 'x'], /--ttl: expected a whole number, got "x"/],
  [['--ttl', '99999'], /kubernetes\.ttl: .*3600/],
  [['--pods', 'maybe'], /kubernetes\.pods/],
  [['--dns', '127.0.0.1:99999'], /dns\.listen: port must be 0\.\.65535/],
  [['--zones', 'bad zone'], /kubernetes\.zones\[0\]: expected a DNS name/],
  [['--ns-addresses', 'not-an-ip'], /kubernetes\.nsAddresses\[0\]/],
  [['--kubeconfig', 'k.yaml', '--in-cluster'], /kubernetes\.inCluster: choose one source/],
  [['--kubeconfig', 'k.yaml', '--snapshot', 'a.json'], /snapshots: choose one source/],
  [['--doh', '127.0.0.1:8053', '--doh-cert', 'c.pem'], /doh\.key: cert and key go together/],
  [['--doh', 'x'], /doh\.listen: expected HOST:PORT/],
  [['--health', 'nowhere'], /health\.listen: expected HOST:PORT/],
  [['--frobnicate'], /command line: .*frobnicate[\s\S]*usage:/],
];
for (const [argv, message] of errors) {
  test(`rejects ${argv.join(' ')}`, () => {
    assert.throws(
      () => configFromArgs(argv, read),
      (e: Error) => e.name === 'ConfigError' && message.test(e.message),
    );
  });
}
