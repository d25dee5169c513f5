import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConfigError } from '../../common/config/config-error.ts';
import { layFlags, pathText } from '../../common/config/flag-table.ts';
import { configFromArgs, containerCommandFromArgs, containerFlags } from './container-flags.ts';
import { splitHostPort, validateConfig } from './container-config.ts';

const packageVersion = JSON.parse(readFileSync('package.json', 'utf8')).version;

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

test('metrics (CoreDNS prometheus): off by default; --metrics and --metrics-legacy-names; a file key', () => {
  assert.deepEqual(configFromArgs([], read).metrics, { legacyNames: false });
  const c = configFromArgs(['--metrics', '127.0.0.1:9153', '--metrics-legacy-names'], read);
  assert.deepEqual(c.metrics, { listen: '127.0.0.1:9153', legacyNames: true });
  files['metrics.yaml'] = 'metrics:\n  listen: 0.0.0.0:9153\n';
  const f = configFromArgs(['--config', 'metrics.yaml'], read);
  assert.deepEqual(f.metrics, { listen: '0.0.0.0:9153', legacyNames: false });
  assert.throws(() => configFromArgs(['--metrics', '9153'], read), /--metrics.*HOST:PORT/);
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
  [['--config', 'bad-ttl.yaml'], /bad-ttl\.yaml:2:3: kubernetes\.ttl: .*number/],
  [
    ['--config', 'bad-pods.yaml'],
    /bad-pods\.yaml:2:3: kubernetes\.pods: .*disabled.*insecure.*verified/,
  ],
  [['--config', 'unknown-key.yaml'], /unknown-key\.yaml:1:1: kubernets: unknown key/],
  [['--config', 'bad-listen.yaml'], /bad-listen\.yaml:2:3: dns\.listen: expected HOST:PORT/],
  [['--config', 'not-yaml.yaml'], /not-yaml\.yaml:2:1: not valid YAML or JSON: Flow sequence/],
  [['--config', 'list.yaml'], /list\.yaml: expected a mapping/],
  [['--config', 'missing.yaml'], /missing\.yaml: cannot read config file/],
  [['--ttl', 'x'], /^command line: --ttl: expected a whole number 0\.\.3600, got "x"$/],
  [['--ttl', '99999'], /--ttl: expected a whole number 0\.\.3600, got "99999"/],
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

// A flag whose key the schema does not know would be refused as an unknown key, or ignored.
test('every flag sets a key of the file', () => {
  for (const row of containerFlags.filter((r) => r.key !== undefined)) {
    const config = { forward: [{ zone: '.', to: ['127.0.0.1'] }] };
    const given = { values: { [row.flag]: row.repeat ? [{ bad: 1 }] : { bad: 1 } }, texts: {} };
    layFlags([row], given, config);
    const key = (row.key as string).replace('[]', '[0]');
    assert.throws(
      () => validateConfig(config, 'probe'),
      (e: ConfigError) =>
        e.issues.some((i) => pathText(i.path).startsWith(key) && i.message !== 'unknown key'),
      `--${row.flag} (${row.key})`,
    );
  }
});

test('--help describes every flag; --version names the package version', () => {
  const help = containerCommandFromArgs(['--help'], read);
  assert.equal(help.action, 'help');
  const text = 'text' in help ? help.text : '';
  for (const row of containerFlags) {
    assert.match(text, new RegExp(`^  --${row.flag}\\b.*`, 'm'));
    if (row.coredns) assert.ok(text.includes(`CoreDNS: ${row.coredns}`), row.flag);
  }
  const version = containerCommandFromArgs(['--version', '--ttl', 'x'], read);
  assert.deepEqual(version, { action: 'version', text: `edge-dns ${packageVersion}` });
});

test('--validate: the configuration checked, and the files it names read', () => {
  const withSnapshot = (path: string) => (path === 'a.json' ? '{}' : read(path));
  const c = containerCommandFromArgs(['--validate', '--config', 'good.yaml'], withSnapshot);
  assert.equal(c.action, 'validate');
  assert.throws(() => containerCommandFromArgs(['--validate', '--ttl', 'x'], read), /--ttl/);
  // A missing file is named where it was given: the file's line, or the flag.
  assert.throws(
    () =>
      containerCommandFromArgs(
        ['--validate', '--config', 'good.yaml', '--doh-cert', 'c.pem', '--doh-key', 'k.pem'],
        (path) => (path === 'k.pem' ? 'key' : read(path)),
      ),
    (e: Error) =>
      e.message ===
      [
        "good.yaml:3:13: snapshots[0]: cannot read a.json: ENOENT: no such file 'a.json'",
        "--doh-cert c.pem: doh.cert: cannot read c.pem: ENOENT: no such file 'c.pem'",
      ].join('\n'),
  );
});

test("a file's paths are relative to its directory; a flag's to the working directory", () => {
  const nested: Record<string, string> = {
    'conf/edge.yaml': 'snapshots: [a.json, /abs/b.json]\ndoh: { cert: tls/c.pem, key: ../k.pem }\n',
    'conf/live.yaml': 'kubernetes: { kubeconfig: kube/config }\n',
  };
  const readNested = (path: string) => nested[path] ?? read(path);
  const c = configFromArgs(['--config', 'conf/edge.yaml', '--snapshot', 'c.json'], readNested);
  assert.deepEqual(c.snapshots, ['conf/a.json', '/abs/b.json', 'c.json']);
  assert.deepEqual([c.doh.cert, c.doh.key], ['conf/tls/c.pem', 'k.pem']);
  const live = configFromArgs(['--config', 'conf/live.yaml'], readNested);
  assert.equal(live.kubernetes.kubeconfig, 'conf/kube/config');
  const flag = configFromArgs(['--config', 'conf/live.yaml', '--kubeconfig', 'k'], readNested);
  assert.equal(flag.kubernetes.kubeconfig, 'k');
});

test('--external-zone with a Corefile: only a k8s_external directive answers it, so one is required', () => {
  const corefiles: Record<string, string> = {
    'Corefile.bare': '. {\n  kubernetes cluster.local {\n    snapshot sample.json\n  }\n}\n',
    'Corefile.ext':
      '. {\n  kubernetes cluster.local {\n    snapshot sample.json\n  }\n  k8s_external example.com\n}\n',
  };
  const readCore = (path: string) => corefiles[path] ?? read(path);
  assert.throws(
    () =>
      configFromArgs(['--corefile', 'Corefile.bare', '--external-zone', 'example.com'], readCore),
    /kubernetes\.external\.zones: a Corefile answers external zones through a k8s_external directive/,
  );
  const c = configFromArgs(['--corefile', 'Corefile.ext'], readCore);
  assert.deepEqual(c.kubernetes.external?.zones, ['example.com']);
});
