// EDGE_DNS_CLIENT_ZONES (docs/architecture.md §6.21): the entries, the longest network, the ECS
// prefix, and the errors naming the variable and the entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientZoneOf, parseClientZone, type ClientZone } from './edge-client-zones.ts';
import { ConfigError, edgeConfigFromEnv } from './edge-config.ts';

const table = ['10.0.0.0/8=Zone-A', '10.9.0.0/16=zone-b', '2001:db8::/32=corp.example.com'].map(
  (s) => parseClientZone(s) as ClientZone,
);

const cases: [address: string, prefix: number | undefined, zone: string | undefined][] = [
  ['10.1.2.3', undefined, 'zone-a'],
  ['10.9.2.3', undefined, 'zone-b'], // the longest network
  ['10.9.2.0', 24, 'zone-b'],
  ['10.9.0.0', 12, 'zone-a'], // an ECS /12 does not say which /16 the client is in
  ['10.0.0.0', 4, undefined],
  ['2001:db8:1::', 48, 'corp.example.com'],
  ['::ffff:10.9.0.1', undefined, 'zone-b'],
  ['192.0.2.1', undefined, undefined],
  ['not an address', undefined, undefined],
];

for (const [address, prefix, zone] of cases)
  test(`client zone of ${address}${prefix === undefined ? '' : `/${prefix}`}`, () =>
    assert.equal(clientZoneOf(table, address, prefix), zone));

test('EDGE_DNS_CLIENT_ZONES: bad entries are named by index, never a crash', () => {
  const base = {
    EDGE_DNS_TABLE: 'records',
    EDGE_DNS_CLUSTER: 'c',
    AWS_REGION: 'us-east-1',
    EDGE_DNS_PUBLIC: 'true',
  };
  const config = edgeConfigFromEnv({
    ...base,
    EDGE_DNS_CLIENT_ZONES: '10.1.0.0/16=us-east-1a, 2001:db8::/32=us-east-1b',
  });
  assert.deepEqual(
    config.clientZones?.map((c) => c.zone),
    ['us-east-1a', 'us-east-1b'],
  );
  for (const [value, message] of [
    ['10.1.0.0/16', /EDGE_DNS_CLIENT_ZONES\[0\]: expected CIDR=ZONE/],
    ['10.1.0.0/16=a,10.1.0.0/33=b', /EDGE_DNS_CLIENT_ZONES\[1\]: expected a network/],
    ['10.1.0.0/16=-a', /EDGE_DNS_CLIENT_ZONES\[0\]: expected a topology zone/],
    ['10.1.0.0/16=a..b', /EDGE_DNS_CLIENT_ZONES\[0\]: expected a topology zone/],
  ] as const)
    assert.throws(
      () => edgeConfigFromEnv({ ...base, EDGE_DNS_CLIENT_ZONES: value }),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      value,
    );
});
