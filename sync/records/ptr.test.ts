// PTR records (CoreDNS reverse.go serviceRecordForIP; spec 2.3.3, 2.4.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, namespace, service, slice } from '../../test/support/builder-objects.ts';

const namespaces = [namespace('default'), namespace('db')];
const services = [
  service('default', 'web', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00::20'] }),
  service('db', 'pg', { clusterIP: 'None' }),
  service('db', 'pg-ro', { clusterIP: 'None' }),
  service('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
];
const endpointSlices = [
  slice('db', 'pg', 'IPv4', [
    { addresses: ['10.1.0.1'], hostname: 'pg-0', targetRef: { kind: 'Pod', name: 'pg-sts-0' } },
    { addresses: ['10.1.0.2'], targetRef: { kind: 'Pod', name: 'pg-sts-1' } },
    { addresses: ['10.1.0.3'], conditions: { ready: false } },
  ]),
  slice('db', 'pg-ro', 'IPv4', [{ addresses: ['10.1.0.2'] }]),
  slice('db', 'pg', 'IPv6', [{ addresses: ['fd00::1:2'] }]),
  // An endpoint that also holds a cluster IP: the cluster IP wins, and only it.
  slice('default', 'web', 'IPv4', [{ addresses: ['10.96.0.20'] }]),
];
const ptr = (lines: string[]) => lines.filter((l) => l.includes(' PTR '));

test('cluster IPs name their service; other ready endpoint IPs name every endpoint holding them', () => {
  assert.deepEqual(
    ptr(
      build(
        { namespaces, services, endpointSlices },
        { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'] },
      ),
    ),
    [
      '0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa. 5 IN PTR web.default.svc.cluster.local.',
      '1.0.1.10.in-addr.arpa. 5 IN PTR pg-0.pg.db.svc.cluster.local.',
      '2.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa. 5 IN PTR fd00--1-2.pg.db.svc.cluster.local.',
      '2.0.1.10.in-addr.arpa. 5 IN PTR 10-1-0-2.pg-ro.db.svc.cluster.local.',
      '2.0.1.10.in-addr.arpa. 5 IN PTR 10-1-0-2.pg.db.svc.cluster.local.',
      '20.0.96.10.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local.',
    ],
  );
});

test('PTR targets use the primary (first forward) zone and endpoint_pod_names', () => {
  const lines = build(
    { namespaces, services, endpointSlices },
    { zones: ['10.in-addr.arpa', 'example.org', 'cluster.local'], endpointPodNames: true, ttl: 9 },
  );
  assert.deepEqual(ptr(lines), [
    '1.0.1.10.in-addr.arpa. 9 IN PTR pg-0.pg.db.svc.example.org.',
    '2.0.1.10.in-addr.arpa. 9 IN PTR 10-1-0-2.pg-ro.db.svc.example.org.',
    '2.0.1.10.in-addr.arpa. 9 IN PTR pg-sts-1.pg.db.svc.example.org.',
    '20.0.96.10.in-addr.arpa. 9 IN PTR web.default.svc.example.org.',
  ]);
});

test('only names inside a configured reverse zone get a PTR', () => {
  assert.deepEqual(
    ptr(
      build(
        { namespaces, services, endpointSlices },
        { zones: ['cluster.local', '96.10.in-addr.arpa'] },
      ),
    ),
    ['20.0.96.10.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local.'],
  );
  assert.deepEqual(ptr(build({ namespaces, services, endpointSlices })), []);
});

test('namespaces narrows PTRs; two services on one cluster IP: the lowest namespace/name wins', () => {
  const clash = [
    service('b', 'svc', { clusterIP: '10.96.0.99' }),
    service('a', 'svc', { clusterIP: '10.96.0.99' }),
    service('c', 'hidden', { clusterIP: '10.96.0.98' }),
  ];
  const zones = ['cluster.local', 'in-addr.arpa'];
  assert.deepEqual(ptr(build({ services: clash }, { zones })), [
    '98.0.96.10.in-addr.arpa. 5 IN PTR hidden.c.svc.cluster.local.',
    '99.0.96.10.in-addr.arpa. 5 IN PTR svc.a.svc.cluster.local.',
  ]);
  assert.deepEqual(ptr(build({ services: clash }, { zones, namespaces: ['b'] })), [
    '99.0.96.10.in-addr.arpa. 5 IN PTR svc.b.svc.cluster.local.',
  ]);
});
