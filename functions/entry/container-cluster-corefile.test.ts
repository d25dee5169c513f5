// Cluster zones written as a Corefile (docs/architecture.md §6.17): a kubernetes directive per
// cluster, each with its zones and its source; a zone with two sources, zones inside one another,
// or options that differ from the first cluster's are errors naming the Corefile and line. The
// same rules hold for the `clusters` key of a YAML file and for --cluster-zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { memoryCorefileIo } from '../corefile/memory-io.ts';
import { configFromCorefile } from './container-corefile.ts';
import { validateConfig } from './container-config.ts';
import { configFromArgs } from './container-flags.ts';
import { clusterInputs, clusterZoneNames } from './container-cluster-records.ts';

function load(text: string) {
  const corefile = parseCorefile(text, 'Corefile', {
    ...memoryCorefileIo({ Corefile: text }),
    env: {},
  });
  return validateConfig(configFromCorefile(corefile).data, 'Corefile');
}

const block = (zones: string, options: string) =>
  `${zones
    .split(' ')
    .map((z) => `${z}:1053`)
    .join(' ')} {\n  kubernetes {\n${options
    .split(';')
    .map((o) => `    ${o.trim()}\n`)
    .join('')}  }\n}\n`;

test('a block per cluster: each its zones and source, reverse zones shared, in the order written', () => {
  const config = load(
    block('east.k8s.example.com in-addr.arpa', 'kubeconfig /etc/east.kubeconfig; pods insecure') +
      block('west.k8s.example.com ip6.arpa', 'snapshot west.json; pods insecure') +
      block('north.k8s.example.com', 'pods insecure'),
  );
  assert.deepEqual(config.kubernetes.zones, ['east.k8s.example.com', 'in-addr.arpa']);
  assert.deepEqual(
    config.clusters.map((c) => [c.zones, c.kubeconfig, c.snapshots, c.inCluster]),
    [
      [['west.k8s.example.com', 'ip6.arpa'], undefined, ['west.json'], false],
      [['north.k8s.example.com'], undefined, [], true],
    ],
  );
  const inputs = clusterInputs(config);
  assert.deepEqual(
    inputs.map((c) => [c.name, c.zones, c.input.kubernetes.zones, c.input.kubernetes.pods]),
    [
      [
        'east.k8s.example.com',
        ['east.k8s.example.com'],
        ['east.k8s.example.com', 'in-addr.arpa', 'ip6.arpa'],
        'insecure',
      ],
      [
        'west.k8s.example.com',
        ['west.k8s.example.com'],
        ['west.k8s.example.com', 'in-addr.arpa', 'ip6.arpa'],
        'insecure',
      ],
      [
        'north.k8s.example.com',
        ['north.k8s.example.com'],
        ['north.k8s.example.com', 'in-addr.arpa', 'ip6.arpa'],
        'insecure',
      ],
    ],
  );
  assert.deepEqual(clusterZoneNames(config), [
    'east.k8s.example.com',
    'west.k8s.example.com',
    'north.k8s.example.com',
    'in-addr.arpa',
    'ip6.arpa',
  ]);
});

const errors: [corefile: string, error: RegExp][] = [
  [
    block('east.k8s.example.com', 'kubeconfig a') +
      block('.', 'kubeconfig b').replace('kubernetes', 'kubernetes east.k8s.example.com.'),
    /Corefile:7 - .*east\.k8s\.example\.com has two sources \(also the kubernetes at Corefile:2\)/,
  ],
  [
    block('k8s.example.com', 'kubeconfig a') + block('east.k8s.example.com', 'kubeconfig b'),
    /Corefile:7 - .*east\.k8s\.example\.com and k8s\.example\.com \(the kubernetes at Corefile:2\) overlap/,
  ],
  [
    block('east.k8s.example.com', 'kubeconfig a; pods insecure') +
      block('west.k8s.example.com', 'kubeconfig b'),
    /Corefile:8 - .*options differ from the kubernetes at Corefile:2: the clusters share its options/,
  ],
  [
    block('east.k8s.example.com', 'kubeconfig a') +
      block('west.k8s.example.com', 'kubeconfig b; snapshot c.json'),
    /Corefile:7 - .*choose one source: kubeconfig or snapshot/,
  ],
  [
    '.:1053 {\n  kubernetes east.k8s.example.com\n  kubernetes west.k8s.example.com\n}\n',
    /Corefile:3 - .*a second kubernetes in this server block \(the first is at Corefile:2\)/,
  ],
];

test('Corefile errors name the file and line of the kubernetes directive', () => {
  for (const [corefile, error] of errors) assert.throws(() => load(corefile), error, corefile);
});

const flags = (...more: string[]) =>
  configFromArgs(
    [
      '--cluster-zone',
      'east.k8s.example.com=east:east.kubeconfig',
      '--cluster-zone',
      'West.K8s.Example.com.=west:/etc/west.kubeconfig',
      ...more,
    ],
    () => {
      throw new Error('no file');
    },
  );

test('--cluster-zone ZONE=CLUSTER:KUBECONFIG: the clusters alone, reverse zones from --zones', () => {
  const config = flags('--zones', 'in-addr.arpa');
  assert.deepEqual(
    config.clusters.map((c) => [c.zones, c.name, c.kubeconfig]),
    [
      [['east.k8s.example.com'], 'east', 'east.kubeconfig'],
      [['west.k8s.example.com'], 'west', '/etc/west.kubeconfig'],
    ],
  );
  // No source of its own: the kubernetes key gives the options and reverse zones only.
  assert.deepEqual(clusterZoneNames(config), [
    'east.k8s.example.com',
    'west.k8s.example.com',
    'in-addr.arpa',
  ]);
  // With one, its zones are answered too, first.
  const own = flags('--snapshot', 'own.json');
  assert.deepEqual(
    clusterInputs(own).map((c) => c.name),
    ['cluster.local', 'east', 'west'],
  );
});

test('--cluster-zone and the clusters key: bad values name the flag or the key', () => {
  assert.throws(
    () => flags('--cluster-zone', 'east.k8s.example.com=/etc/x'),
    /--cluster-zone: expected ZONE=CLUSTER:KUBECONFIG/,
  );
  assert.throws(
    () => flags('--cluster-zone', 'a.east.k8s.example.com=a:/etc/a'),
    /clusters\[2\]\.zones\[0\]: a\.east\.k8s\.example\.com and east\.k8s\.example\.com \(clusters\[0\]\) overlap/,
  );
  assert.throws(
    () => flags('--zones', 'west.k8s.example.com', '--kubeconfig', 'own'),
    /clusters\[1\]\.zones\[0\]: west\.k8s\.example\.com has two sources \(also the kubernetes key\)/,
  );
  assert.throws(
    () => flags('--external-zone', 'example.com'),
    /--external-zone: kubernetes\.external\.zones: built from the kubernetes key's own cluster, which has no source/,
  );
  assert.throws(
    () => validateConfig({ clusters: [{ zones: ['in-addr.arpa'], kubeconfig: 'k' }] }, 'f.yaml'),
    /clusters\[0\]\.zones: needs a forward zone/,
  );
  assert.throws(
    () => validateConfig({ clusters: [{ zones: ['a.example'] }] }, 'f.yaml'),
    /clusters\[0\]: expected one source: kubeconfig, inCluster or snapshots/,
  );
});
