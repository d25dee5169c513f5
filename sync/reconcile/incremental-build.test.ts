// The incremental build equals the whole-cluster build, for random clusters changed at random.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCluster } from '../records/cluster.ts';
import { defaultBuildOptions, type BuildOptions } from '../records/options.ts';
import { presentation } from '../../test/support/node-presentation.ts';
import { namespace, pod, service, slice } from '../../test/support/builder-objects.ts';
import type { NameNode } from '../../functions/core/record.ts';
import { IncrementalBuild } from './incremental-build.ts';
import { MutableSource } from '../../test/support/mutable-source.ts';
import type { KubeObject } from './object-source.ts';
import { UnitIndex } from './unit-index.ts';
import {
  multiclusterServiceLabel,
  objectKey,
  sourceClusterLabel,
  type ObjectKind,
} from '../kube/objects.ts';

// Small pools so that names, IPs and cluster IPs collide (shared PTRs, claimed IPs, one slice
// moving between Services).
const ns = fc.constantFrom('a', 'b', 'c');
const ip4 = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.1.1', '10.0.1.2');
const ip6 = fc.constantFrom('fd00::1', 'fd00::2');
const svcName = fc.constantFrom('s1', 's2', 's3');
type Port = { name: string; port: number; protocol: string };
const ports = fc.constantFrom<Port[]>(
  [],
  [{ name: 'http', port: 80, protocol: 'TCP' }],
  [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'http', port: 8080, protocol: 'TCP' },
  ],
);

const serviceArb = fc
  .tuple(
    ns,
    svcName,
    fc.oneof(ip4, ip6, fc.constant('None'), fc.constant('ext')),
    ports,
    fc.boolean(),
    // The exposure annotation and a label the selections read (sync/records/exposure.ts).
    fc.constantFrom(undefined, 'true', 'false'),
    fc.constantFrom(undefined, 'public', 'internal'),
  )
  .map(([n, name, ip, p0, pna, expose, tier]) => {
    const p = p0.map((x) => ({ ...x }));
    const s =
      ip === 'ext'
        ? service(n, name, { type: 'ExternalName', externalName: 'db.example.com', ports: p })
        : service(n, name, {
            clusterIP: ip,
            clusterIPs: [ip],
            ports: p,
            publishNotReadyAddresses: pna,
          });
    if (tier) s.metadata.labels = { tier };
    if (expose) s.metadata.annotations = { 'edge-dns.io/expose': expose };
    return s;
  });
const endpointArb = fc.record({
  ready: fc.boolean(),
  hostname: fc.constantFrom(undefined, 'h1', 'h2'),
  ref: fc.constantFrom(undefined, 'web-0', 'web-1'),
  zone: fc.constantFrom(undefined, 'z1', 'z2'),
});
const sliceArb = fc
  .tuple(
    ns,
    fc.constantFrom('e1', 'e2', 'e3'),
    fc.constantFrom(undefined, 's1', 's2', 's3'),
    fc.boolean(),
    fc.array(fc.tuple(endpointArb, ip4, ip6), { maxLength: 3 }),
    ports,
  )
  .map(([n, name, label, v6, eps, p]) =>
    slice(
      n,
      label,
      v6 ? 'IPv6' : 'IPv4',
      eps.map(([e, a4, a6]) => ({
        addresses: [v6 ? a6 : a4],
        conditions: { ready: e.ready },
        hostname: e.hostname,
        targetRef: e.ref ? { kind: 'Pod', name: e.ref } : undefined,
        zone: e.zone,
      })),
      p.map((x) => ({ ...x })),
      name,
    ),
  );
const podArb = fc
  .tuple(ns, fc.constantFrom('p1', 'p2'), ip4, fc.constantFrom('Running', 'Succeeded'))
  .map(([n, name, ip, phase]) => pod(n, name, { phase, podIP: ip }));

// Multi-Cluster Services: imports, and slices that carry the multicluster labels (sometimes the
// Service label too, so that one slice is in two units).
const importArb = fc
  .tuple(
    ns,
    svcName,
    fc.constantFrom('ClusterSetIP', 'Headless'),
    fc.constantFrom<string[]>([], ['10.0.2.1'], ['10.0.2.1', 'fd00::9']),
    ports,
    fc.constantFrom(undefined, 'true', 'false'),
  )
  .map(([n, name, type, ips, p, expose]) => ({
    metadata: {
      name,
      namespace: n,
      ...(expose && { annotations: { 'edge-dns.io/expose': expose } }),
    },
    spec: { type, ips, ports: p.map((x) => ({ ...x })) },
  }));
const mcSliceArb = fc
  .tuple(sliceArb, svcName, fc.constantFrom(undefined, 'c1', 'c2'), fc.boolean())
  .map(([s, name, cluster, both]) => ({
    ...s,
    metadata: {
      ...s.metadata,
      labels: {
        ...(both ? s.metadata.labels : {}),
        [multiclusterServiceLabel]: name,
        ...(cluster && { [sourceClusterLabel]: cluster }),
      },
    },
  }));

type Op = { put: [ObjectKind, KubeObject] } | { remove: [ObjectKind, string] };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  serviceArb.map((o) => ({ put: ['Service', o] as [ObjectKind, KubeObject] })),
  sliceArb.map((o) => ({ put: ['EndpointSlice', o] as [ObjectKind, KubeObject] })),
  podArb.map((o) => ({ put: ['Pod', o] as [ObjectKind, KubeObject] })),
  importArb.map((o) => ({ put: ['ServiceImport', o] as [ObjectKind, KubeObject] })),
  mcSliceArb.map((o) => ({ put: ['EndpointSlice', o] as [ObjectKind, KubeObject] })),
  fc.tuple(ns, svcName).map(([n, name]) => ({
    put: ['ServiceExport', { metadata: { name, namespace: n } }] as [ObjectKind, KubeObject],
  })),
  ns.map((n) => ({ put: ['Namespace', namespace(n)] as [ObjectKind, KubeObject] })),
  fc
    .tuple(
      fc.constantFrom<ObjectKind>(
        'Service',
        'EndpointSlice',
        'Pod',
        'ServiceImport',
        'ServiceExport',
      ),
      ns,
      fc.constantFrom('s1', 's2', 'e1', 'e2', 'p1'),
    )
    .map(([k, n, name]) => ({ remove: [k, `${n}/${name}`] as [ObjectKind, string] })),
  ns.map((n) => ({ remove: ['Namespace', n] as [ObjectKind, string] })),
);
const optionsArb = fc.record({
  pods: fc.constantFrom('disabled', 'insecure', 'verified') as fc.Arbitrary<BuildOptions['pods']>,
  namespaces: fc.constantFrom<string[]>([], ['a'], ['a', 'c']),
  endpointPodNames: fc.boolean(),
  ignoreEmptyService: fc.boolean(),
  zonal: fc.boolean(),
  expose: fc.constantFrom<BuildOptions['expose']>('all', 'opt-in', 'opt-out'),
  labels: fc.constantFrom(undefined, 'tier=public', 'tier notin (internal)'),
  zones: fc.constantFrom<string[]>(
    ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
    ['cluster.local', '0.10.in-addr.arpa'],
    ['cluster.local', 'example.org', 'ip6.arpa'],
  ),
  multicluster: fc.constantFrom<string[] | undefined>(undefined, ['cluster.local']),
  export: fc.constantFrom<BuildOptions['export']>(undefined, {
    zone: 'clusterset.local',
    cluster: 'c1',
  }),
});

function lines(nodes: Iterable<NameNode>): string[] {
  return presentation(nodes).sort();
}

test('incremental build equals the whole-cluster build after every change', () => {
  fc.assert(
    fc.property(optionsArb, fc.array(opArb, { maxLength: 25 }), (partial, ops) => {
      const options: BuildOptions = { ...defaultBuildOptions, ...partial };
      const source = new MutableSource();
      const index = new UnitIndex(source, options.namespaces);
      const build = new IncrementalBuild(options);
      for (const unit of index.reset()) build.setUnit(unit, index.objects(unit));
      for (const op of ops) {
        if ('put' in op) source.put(op.put[0], op.put[1]);
        else source.remove(op.remove[0], op.remove[1]);
        const [kind, key] = 'put' in op ? [op.put[0], objectKey(op.put[1])] : op.remove;
        for (const unit of index.note(kind, key)) build.setUnit(unit, index.objects(unit));
        assert.deepEqual(
          lines(build.nodes()),
          lines(buildCluster(source.snapshot(), options).values()),
        );
      }
    }),
    { numRuns: 300 },
  );
});

test('a full reset from a populated source equals the whole-cluster build', () => {
  fc.assert(
    fc.property(optionsArb, fc.array(opArb, { maxLength: 25 }), (partial, ops) => {
      const options: BuildOptions = { ...defaultBuildOptions, ...partial };
      const source = new MutableSource();
      for (const op of ops) {
        if ('put' in op) source.put(op.put[0], op.put[1]);
        else source.remove(op.remove[0], op.remove[1]);
      }
      const index = new UnitIndex(source, options.namespaces);
      const build = new IncrementalBuild(options);
      for (const unit of index.reset()) build.setUnit(unit, index.objects(unit));
      assert.deepEqual(
        lines(build.nodes()),
        lines(buildCluster(source.snapshot(), options).values()),
      );
    }),
    { numRuns: 200 },
  );
});

test("a Service change touches only that Service's names", () => {
  const options = { ...defaultBuildOptions };
  const source = MutableSource.of({
    namespaces: [namespace('a')],
    services: [
      service('a', 's1', {
        clusterIP: '10.0.0.1',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
      service('a', 's2', { clusterIP: '10.0.0.2' }),
    ],
    endpointSlices: [],
    pods: [],
  });
  const index = new UnitIndex(source, []);
  const build = new IncrementalBuild(options);
  for (const unit of index.reset()) build.setUnit(unit, index.objects(unit));
  source.put('Service', service('a', 's2', { clusterIP: '10.0.0.3' }));
  const changed = new Set<string>();
  for (const unit of index.note('Service', 'a/s2'))
    for (const name of build.setUnit(unit, index.objects(unit))) changed.add(name);
  assert.deepEqual([...changed].sort(), [
    '2.0.0.10.in-addr.arpa',
    '3.0.0.10.in-addr.arpa',
    's2.a.svc.cluster.local',
  ]);
});
