import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSliceSchema, objectSchemas, podSchema, serviceSchema } from './objects.ts';

test('unknown fields are stripped; Go nil slices become []', () => {
  const svc = serviceSchema.parse({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '1' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' },
    },
    status: { loadBalancer: {} },
  });
  assert.deepEqual(svc, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: [],
      externalIPs: [],
      ipFamilies: [],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
    // Kept for k8s_external (sync/records/external.ts).
    status: { loadBalancer: { ingress: [] } },
  });
  const eps = endpointSliceSchema.parse({
    metadata: { name: 's', namespace: 'n' },
    addressType: 'IPv4',
    endpoints: null,
    ports: null,
  });
  assert.deepEqual([eps.endpoints, eps.ports], [[], []]);
  const p = podSchema.parse({
    metadata: { name: 'p', namespace: 'n' },
    spec: { hostNetwork: true },
    status: { phase: 'Running', podIP: '10.0.0.1' },
  });
  assert.deepEqual(p, {
    metadata: { name: 'p', namespace: 'n' },
    status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [] },
  });
  assert.deepEqual(Object.keys(objectSchemas), [
    'Namespace',
    'Service',
    'EndpointSlice',
    'Pod',
    'ServiceImport',
    'ServiceExport',
  ]);
});

test('field errors name the path', () => {
  const cases: [unknown, string[]][] = [
    [{ metadata: { name: 'x' }, spec: {} }, ['metadata.namespace']],
    [{ metadata: { name: '', namespace: 'n' } }, ['metadata.name']],
    [{ metadata: { name: 'Web\tApp', namespace: 'n' } }, ['metadata.name']],
    [
      { metadata: { name: 'x', namespace: 'n' }, spec: { ports: [{ port: 70000 }] } },
      ['spec.ports.0.port'],
    ],
  ];
  for (const [input, paths] of cases) {
    const r = serviceSchema.safeParse(input);
    assert.equal(r.success, false);
    assert.deepEqual([...new Set(r.error?.issues.map((i) => i.path.join('.')))], paths);
  }
  const r = endpointSliceSchema.safeParse({
    metadata: { name: 's', namespace: 'n' },
    addressType: 'IPv4',
    endpoints: [{ addresses: [1], conditions: { ready: 'yes' } }],
  });
  assert.deepEqual(
    r.error?.issues.map((i) => i.path.join('.')),
    ['endpoints.0.addresses.0', 'endpoints.0.conditions.ready'],
  );
});
