import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigError } from '../../common/config/config-error.ts';
import { layFlags, pathText } from '../../common/config/flag-table.ts';
import { syncBuildOptions, validateSyncConfig } from './sync-config.ts';
import { syncCommandFromArgs, syncConfigFromArgs, syncFlags } from './sync-flags.ts';

const files: Record<string, string> = {
  'sync.yaml':
    'clusterId: prod-eu\ndynamodb:\n  table: edge-dns\n  region: eu-west-1\nkubernetes:\n  inCluster: true\n  pods: verified\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
  return text;
};
const env = { region: 'us-east-1', leaseNamespace: 'edge-dns', identity: 'sync-7d9f' };

test('flags, with the environment as defaults', () => {
  const c = syncConfigFromArgs(
    [
      '--cluster-id',
      'prod',
      '--table',
      'edge-dns',
      '--kubeconfig',
      'k.yaml',
      '--dynamodb-endpoint',
      'http://127.0.0.1:8000',
      '--ttl',
      '30',
    ],
    read,
    env,
  );
  assert.equal(c.clusterId, 'prod');
  assert.deepEqual(c.dynamodb, {
    table: 'edge-dns',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:8000',
    timeoutMs: 5000,
  });
  assert.equal(c.kubernetes.kubeconfig, 'k.yaml');
  assert.equal(c.kubernetes.ttl, 30);
  assert.deepEqual(c.lease, { namespace: 'edge-dns', identity: 'sync-7d9f', durationSeconds: 15 });
  assert.equal(c.once, false);
  assert.equal(c.resyncSeconds, 600);
});

test('a file, flags over it', () => {
  const c = syncConfigFromArgs(
    ['--config', 'sync.yaml', '--lease-name', 'mine', '--region', 'eu-central-1'],
    read,
    env,
  );
  assert.equal(c.clusterId, 'prod-eu');
  assert.equal(c.dynamodb.region, 'eu-central-1');
  assert.equal(c.kubernetes.inCluster, true);
  assert.equal(c.kubernetes.pods, 'verified');
  assert.equal(c.lease.name, 'mine');
});

test('--once with snapshots', () => {
  const c = syncConfigFromArgs(
    ['--cluster-id', 'ci', '--table', 'edge-dns', '--once', '--snapshot', 'a.json'],
    read,
    env,
  );
  assert.equal(c.once, true);
  assert.deepEqual(c.snapshots, ['a.json']);
});

const live = ['--cluster-id', 'prod', '--table', 'edge-dns', '--in-cluster'];

test('--export-zone: the builder publishes the exports under it, as this cluster', () => {
  const c = syncConfigFromArgs([...live, '--export-zone', 'ClusterSet.Local.'], read, env);
  assert.equal(c.exportZone, 'clusterset.local');
  assert.deepEqual(syncBuildOptions(c).export, { zone: 'clusterset.local', cluster: 'prod' });
  assert.equal(syncBuildOptions(syncConfigFromArgs(live, read, env)).export, undefined);
});

const errors: [string[], RegExp][] = [
  [['--table', 'edge-dns', '--in-cluster'], /command line: clusterId: /],
  [
    ['--cluster-id', 'Prod_EU', '--table', 'edge-dns', '--in-cluster'],
    /clusterId: expected a cluster id/,
  ],
  [['--cluster-id', 'prod', '--in-cluster'], /dynamodb\.table: /],
  [
    ['--cluster-id', 'prod', '--table', 'x', '--in-cluster'],
    /dynamodb\.table: expected a DynamoDB table name/,
  ],
  [['--cluster-id', 'prod', '--table', 'edge-dns'], /kubernetes: no source/],
  [
    ['--cluster-id', 'prod', '--table', 'edge-dns', '--snapshot', 'a.json'],
    /snapshots: snapshots are published with once/,
  ],
  [
    [
      '--cluster-id',
      'prod',
      '--table',
      'edge-dns',
      '--in-cluster',
      '--dynamodb-endpoint',
      'not a url',
    ],
    /dynamodb\.endpoint/,
  ],
  [
    ['--cluster-id', 'prod', '--table', 'edge-dns', '--in-cluster', '--dynamodb-timeout', '0s'],
    /--dynamodb-timeout 0s: dynamodb\.timeoutMs: expected a duration of 100ms\.\.1m, got "0s"/,
  ],
  [
    ['--cluster-id', 'prod', '--table', 'edge-dns', '--in-cluster', '--resync-seconds', 'often'],
    /--resync-seconds: expected a whole number/,
  ],
  [
    ['--cluster-id', 'prod', '--table', 'edge-dns', '--in-cluster', '--health', 'x'],
    /health\.listen: expected HOST:PORT/,
  ],
  [
    [...live, '--export-zone', 'clusterset.local', '--multicluster', 'clusterset.local'],
    /--export-zone clusterset\.local: exportZone: also a multicluster zone/,
  ],
  [[...live, '--export-zone', 'cluster.local'], /exportZone: also a zone this cluster serves/],
  [[...live, '--export-zone', '10.in-addr.arpa'], /exportZone: a reverse zone/],
  [['--config', 'missing.yaml'], /missing\.yaml: cannot read config file/],
  [['--bogus'], /command line: .*bogus[\s\S]*usage: edge-dns-sync/],
];
for (const [argv, message] of errors) {
  test(`rejects ${argv.join(' ')}`, () => {
    assert.throws(
      () => syncConfigFromArgs(argv, read, env),
      (e: Error) => e.name === 'ConfigError' && message.test(e.message),
    );
  });
}

test('no region anywhere is a clear error', () => {
  assert.throws(
    () =>
      syncConfigFromArgs(['--cluster-id', 'p', '--table', 'edge-dns', '--in-cluster'], read, {}),
    /dynamodb\.region: /,
  );
});

test('every flag sets a key of the file', () => {
  for (const row of syncFlags.filter((r) => r.key !== undefined)) {
    const config = {};
    const given = { values: { [row.flag]: row.repeat ? [{ bad: 1 }] : { bad: 1 } }, texts: {} };
    layFlags([row], given, config);
    assert.throws(
      () => validateSyncConfig(config, 'probe'),
      (e: ConfigError) =>
        e.issues.some(
          (i) => pathText(i.path).startsWith(row.key as string) && i.message !== 'unknown key',
        ),
      `--${row.flag} (${row.key})`,
    );
  }
});

test('--help describes every flag; --version; --validate', () => {
  const help = syncCommandFromArgs(['--help'], read, env);
  const text = 'text' in help ? help.text : '';
  assert.match(text, /^usage: edge-dns-sync /);
  for (const row of syncFlags) assert.match(text, new RegExp(`^  --${row.flag}\\b`, 'm'));
  const version = syncCommandFromArgs(['--version'], read, env);
  assert.match('text' in version ? version.text : '', /^edge-dns-sync \d+\.\d+\.\d+/);
  const validate = syncCommandFromArgs(['--validate', '--config', 'sync.yaml'], read, env);
  assert.equal(validate.action, 'validate');
});

test('--metrics HOST:PORT (metrics.listen): off by default, the flag over the file', () => {
  const base = ['--config', 'sync.yaml'];
  assert.equal(syncConfigFromArgs(base, read, env).metrics.listen, undefined);
  files['metrics.yaml'] = `${files['sync.yaml']}metrics:\n  listen: 0.0.0.0:9153\n`;
  assert.equal(
    syncConfigFromArgs(['--config', 'metrics.yaml'], read, env).metrics.listen,
    '0.0.0.0:9153',
  );
  assert.equal(
    syncConfigFromArgs(['--config', 'metrics.yaml', '--metrics', '[::1]:0'], read, env).metrics
      .listen,
    '[::1]:0',
  );
  assert.throws(
    () => syncConfigFromArgs([...base, '--metrics', '9153'], read, env),
    /--metrics 9153: metrics\.listen: expected HOST:PORT/,
  );
});
