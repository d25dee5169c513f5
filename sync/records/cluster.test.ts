// The whole build: names that exist per zone (CoreDNS parseRequest, findServices, findPods),
// namespaces, zones, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCluster } from './cluster.ts';
import { defaultBuildOptions } from './options.ts';
import { presentation } from '../../test/support/node-presentation.ts';
import {
  build,
  namespace,
  objects,
  pod,
  service,
  slice,
  sorted,
} from '../../test/support/builder-objects.ts';

test('default zones: dns-version TXT (TTL 28800) in every zone, svc and pod ENTs, nothing else', () => {
  const nodes = buildCluster(objects({}), defaultBuildOptions);
  assert.deepEqual(presentation(nodes.values()), [
    'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
    'dns-version.in-addr.arpa. 28800 IN TXT "1.1.0"',
    'dns-version.ip6.arpa. 28800 IN TXT "1.1.0"',
    'pod.cluster.local. ; empty non-terminal',
    'svc.cluster.local. ; empty non-terminal',
  ]);
});

test('namespaces: Namespace objects plus namespaces holding Services, narrowed by `namespaces`', () => {
  const parts = {
    namespaces: [namespace('default'), namespace('empty')],
    services: [service('orphaned', 'x', { clusterIP: '10.96.0.1' })],
    pods: [pod('podonly', 'p', { phase: 'Running', podIP: '10.2.0.1' })],
  };
  assert.deepEqual(
    build(parts, { pods: 'verified' }),
    sorted([
      'default.svc.cluster.local. ; empty non-terminal',
      'default.pod.cluster.local. ; empty non-terminal',
      'empty.svc.cluster.local. ; empty non-terminal',
      'empty.pod.cluster.local. ; empty non-terminal',
      'orphaned.svc.cluster.local. ; empty non-terminal',
      'orphaned.pod.cluster.local. ; empty non-terminal',
      'x.orphaned.svc.cluster.local. 5 IN A 10.96.0.1',
    ]),
  );
  assert.deepEqual(build(parts, { namespaces: ['empty', 'absent'] }), [
    'empty.svc.cluster.local. ; empty non-terminal',
  ]);
});

test('names CoreDNS answers NXDOMAIN for are absent', () => {
  const parts = {
    namespaces: [namespace('default')],
    services: [
      service('default', 'web', {
        clusterIP: '10.96.0.20',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
      service('default', 'ext', {
        type: 'ExternalName',
        externalName: 'example.com',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
      service('default', 'headless', {
        clusterIP: 'None',
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      }),
    ],
    endpointSlices: [
      slice(
        'default',
        'web',
        'IPv4',
        [{ addresses: ['10.1.0.1'] }],
        [{ name: 'http', port: 80, protocol: 'TCP' }],
      ),
    ],
  };
  const names = new Set(
    buildCluster(objects(parts), { ...defaultBuildOptions, zones: ['cluster.local'] }).keys(),
  );
  for (const absent of [
    'cluster.local', // the apex is the core's (SOA, NS)
    'dns.cluster.local',
    'ns.dns.cluster.local', // the core's
    'default.pod.cluster.local', // pods disabled
    '_tcp.web.default.svc.cluster.local',
    '_http.web.default.svc.cluster.local',
    '_https._tcp.web.default.svc.cluster.local',
    '_http._udp.web.default.svc.cluster.local',
    '_http._tcp.ext.default.svc.cluster.local',
    '10-1-0-1.ext.default.svc.cluster.local',
    'headless.default.svc.cluster.local', // no ready endpoints
    'nope.default.svc.cluster.local',
    'web.nope.svc.cluster.local',
    'nope.svc.cluster.local',
  ]) {
    assert.ok(!names.has(absent), absent);
  }
  for (const present of [
    'svc.cluster.local',
    'pod.cluster.local',
    'default.svc.cluster.local',
    '_http._tcp.web.default.svc.cluster.local',
    '10-1-0-1.web.default.svc.cluster.local',
  ]) {
    assert.ok(names.has(present), present);
  }
});

test('every forward zone gets the same names; a name owned by a nested zone is left to it', () => {
  const parts = {
    namespaces: [namespace('svc')],
    services: [service('svc', 'a', { clusterIP: '10.96.0.1' })],
  };
  const lines = build(
    parts,
    { zones: ['cluster.local', 'example.org', 'svc.svc.example.org'] },
    true,
  );
  assert.deepEqual(
    lines,
    sorted([
      'dns-version.cluster.local. 28800 IN TXT "1.1.0"',
      'svc.cluster.local. ; empty non-terminal',
      'pod.cluster.local. ; empty non-terminal',
      'svc.svc.cluster.local. ; empty non-terminal',
      'a.svc.svc.cluster.local. 5 IN A 10.96.0.1',
      'dns-version.example.org. 28800 IN TXT "1.1.0"',
      'svc.example.org. ; empty non-terminal',
      'pod.example.org. ; empty non-terminal',
      // svc.svc.example.org is its own zone: the core answers its apex; its children are built there.
      'dns-version.svc.svc.example.org. 28800 IN TXT "1.1.0"',
      'svc.svc.svc.example.org. ; empty non-terminal',
      'pod.svc.svc.example.org. ; empty non-terminal',
      'svc.svc.svc.svc.example.org. ; empty non-terminal',
      'a.svc.svc.svc.svc.example.org. 5 IN A 10.96.0.1',
    ]),
  );
});

test('the build is deterministic whatever the input order', () => {
  const services = [
    service('a', 'h', { clusterIP: 'None', ports: [{ name: 'p', port: 1, protocol: 'TCP' }] }),
    service('b', 'c', {
      clusterIP: '10.96.0.2',
      clusterIPs: ['10.96.0.2', 'fd00::2'],
      ports: [{ name: 'p', port: 1, protocol: 'TCP' }],
    }),
  ];
  const endpointSlices = [
    slice(
      'a',
      'h',
      'IPv4',
      [{ addresses: ['10.1.0.2'] }, { addresses: ['10.1.0.1'] }],
      [{ name: 'p', port: 1, protocol: 'TCP' }],
      'x',
    ),
    slice(
      'a',
      'h',
      'IPv6',
      [{ addresses: ['fd00::1'] }],
      [{ name: 'p', port: 1, protocol: 'TCP' }],
      'y',
    ),
  ];
  const namespaces = [namespace('b'), namespace('a')];
  const options = { ...defaultBuildOptions, pods: 'verified' as const };
  const pods = [pod('a', 'p1', { podIP: '10.1.0.1' }), pod('b', 'p2', { podIP: '10.1.0.3' })];
  const one = buildCluster(objects({ namespaces, services, endpointSlices, pods }), options);
  const two = buildCluster(
    objects({
      namespaces: [...namespaces].reverse(),
      services: [...services].reverse(),
      endpointSlices: [...endpointSlices].reverse(),
      pods: [...pods].reverse(),
    }),
    options,
  );
  assert.deepEqual([...two.entries()], [...one.entries()]);
  assert.deepEqual([...one.keys()], [...one.keys()].sort());
});

test('options CoreDNS would refuse throw', () => {
  assert.throws(
    () => buildCluster(objects({}), { ...defaultBuildOptions, zones: ['in-addr.arpa'] }),
    /forward/,
  );
  assert.throws(() => buildCluster(objects({}), { ...defaultBuildOptions, ttl: 3601 }), /ttl/);
});
