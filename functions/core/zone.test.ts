import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findZone, isInZone, kubernetesZone } from './zone.ts';

// docs/architecture.md §6.1: the longest matching zone wins; a label boundary decides "below".
const zones = ['cluster.local', 'in-addr.arpa', '96.10.in-addr.arpa', 'ip6.arpa'].map((z) =>
  kubernetesZone(z, 5),
);

test('findZone: the longest zone that holds the name, on label boundaries', () => {
  const cases: [string, string | undefined][] = [
    ['cluster.local', 'cluster.local'],
    ['kubernetes.default.svc.cluster.local', 'cluster.local'],
    ['1.0.96.10.in-addr.arpa', '96.10.in-addr.arpa'],
    ['96.10.in-addr.arpa', '96.10.in-addr.arpa'],
    ['1.0.97.10.in-addr.arpa', 'in-addr.arpa'],
    ['1.0.196.10.in-addr.arpa', 'in-addr.arpa'], // "196" is not below "96"
    ['b.a.ip6.arpa', 'ip6.arpa'],
    ['xcluster.local', undefined],
    ['example.com', undefined],
    ['local', undefined],
  ];
  for (const [name, zone] of cases) assert.equal(findZone(zones, name)?.name, zone, name);
});

test('findZone: the order zones are configured in does not matter', () => {
  assert.equal(
    findZone([...zones].reverse(), '1.0.96.10.in-addr.arpa')?.name,
    '96.10.in-addr.arpa',
  );
});

test('isInZone: on label boundaries, and the root zone holds every name', () => {
  assert.equal(isInZone('example.com', ''), true);
  assert.equal(isInZone('example.com', 'com'), true);
  assert.equal(isInZone('example.com', 'le.com'), false);
});
