// EDGE_DNS_EXTERNAL_ZONES, _TTL and _APEX (edge-config.ts): the k8s_external zones at the edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, edgeConfigFromEnv } from './edge-config.ts';

const base = {
  EDGE_DNS_TABLE: 'edge-dns',
  EDGE_DNS_CLUSTER: 'prod-1',
  AWS_REGION: 'eu-west-1',
  EDGE_DNS_PUBLIC: 'true',
};

test('external zones: their options, and no cluster zone unless EDGE_DNS_ZONES names one', () => {
  const rows: [Record<string, string>, string[], unknown][] = [
    [{}, ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], undefined],
    [
      { EDGE_DNS_EXTERNAL_ZONES: 'Example.COM.,lb.example.net' },
      [],
      { zones: ['example.com', 'lb.example.net'], ttl: 5, apex: 'dns' },
    ],
    [
      {
        EDGE_DNS_EXTERNAL_ZONES: 'example.com',
        EDGE_DNS_EXTERNAL_TTL: '30',
        EDGE_DNS_EXTERNAL_APEX: 'ops',
        EDGE_DNS_ZONES: 'cluster.local',
      },
      ['cluster.local'],
      { zones: ['example.com'], ttl: 30, apex: 'ops' },
    ],
  ];
  for (const [env, zones, external] of rows) {
    const c = edgeConfigFromEnv({ ...base, ...env });
    assert.deepEqual(c.kubernetes.zones, zones, JSON.stringify(env));
    assert.deepEqual(c.external, external, JSON.stringify(env));
  }
});

test('bad external settings name the variable', () => {
  const rows: [Record<string, string>, RegExp][] = [
    [{ EDGE_DNS_EXTERNAL_ZONES: 'bad zone' }, /EDGE_DNS_EXTERNAL_ZONES\[0\]: expected a DNS name/],
    [
      { EDGE_DNS_EXTERNAL_ZONES: 'example.com', EDGE_DNS_EXTERNAL_TTL: '4000' },
      /EDGE_DNS_EXTERNAL_TTL: /,
    ],
    [
      { EDGE_DNS_EXTERNAL_ZONES: 'example.com', EDGE_DNS_EXTERNAL_APEX: 'a.b' },
      /EDGE_DNS_EXTERNAL_APEX: expected one DNS label/,
    ],
    [{ EDGE_DNS_EXTERNAL_TTL: '30' }, /EDGE_DNS_EXTERNAL_TTL: set EDGE_DNS_EXTERNAL_ZONES/],
    [
      { EDGE_DNS_EXTERNAL_ZONES: 'cluster.local', EDGE_DNS_ZONES: 'cluster.local' },
      /EDGE_DNS_EXTERNAL_ZONES: cluster\.local is also in EDGE_DNS_ZONES/,
    ],
  ];
  for (const [env, want] of rows)
    assert.throws(
      () => edgeConfigFromEnv({ ...base, ...env }),
      (e: unknown) => e instanceof ConfigError && want.test(e.message),
      JSON.stringify(env),
    );
});
