import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnapshot } from './parse.ts';

const svc = (
  ns: string,
  name: string,
  spec: object = { clusterIP: '10.96.0.5', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, uid: 'x', resourceVersion: '1' },
  spec,
});

test('a kubectl List in JSON: kinds sorted into collections, unused kinds counted, extra fields dropped', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      svc('shop', 'web'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: 'web-x',
          namespace: 'shop',
          labels: { 'kubernetes.io/service-name': 'web' },
        },
        addressType: 'IPv4',
        endpoints: null,
        ports: null,
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'shop' },
        status: { podIP: '10.244.0.5', phase: 'Running' },
      },
    ],
  };
  const { objects, skipped } = parseSnapshot(JSON.stringify(list), 'dump.json');
  assert.equal(skipped, 1);
  assert.deepEqual(objects.namespaces, [{ metadata: { name: 'shop' } }]);
  assert.equal(objects.services.length, 1);
  assert.equal((objects.services[0]?.metadata as Record<string, unknown>).uid, undefined);
  assert.deepEqual(objects.endpointSlices[0]?.endpoints, []);
  assert.equal(objects.pods[0]?.status?.podIP, '10.244.0.5');
});

test('YAML: a List, a multi-document stream, and several files into one set', () => {
  const yamlList =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n';
  const stream =
    '---\nkind: Namespace\nmetadata: {name: b}\n---\nkind: Service\nmetadata: {name: s, namespace: b}\nspec: {clusterIP: None}\n';
  const { objects } = parseSnapshot(yamlList, 'one.yaml');
  parseSnapshot(stream, 'two.yaml', objects);
  assert.deepEqual(
    objects.namespaces.map((n) => n.metadata.name),
    ['a', 'b'],
  );
  assert.equal(objects.services[0]?.spec.clusterIP, 'None');
});

// Errors name the file, the item and the field.
const bad: [string, string, RegExp][] = [
  ['not json', '{"kind": "List", "items": [', /^dump\.json: not valid JSON or YAML/],
  ['a bare array', '[1, 2]', /^dump\.json: expected a Kubernetes object or a List, got an array/],
  ['no kind', '{"items": []}', /^dump\.json: kind: expected a string/],
  ['items not a list', '{"kind": "List", "items": {}}', /^dump\.json: items: expected an array/],
  [
    'a port that is text',
    JSON.stringify({ kind: 'List', items: [svc('shop', 'web', { ports: [{ port: 'http' }] })] }),
    /^dump\.json: items\[0\]: Service shop\/web: spec\.ports\[0\]\.port: .*number/,
  ],
  [
    'a service without namespace',
    JSON.stringify({ kind: 'Service', metadata: { name: 'web' } }),
    /^dump\.json: Service web: metadata\.namespace/,
  ],
  [
    'an item that is not an object',
    JSON.stringify({ kind: 'List', items: ['x'] }),
    /^dump\.json: items\[0\]: : expected a Kubernetes object|^dump\.json: items\[0\]: expected a Kubernetes object/,
  ],
];
for (const [what, text, message] of bad) {
  test(`rejects ${what}`, () => {
    assert.throws(
      () => parseSnapshot(text, 'dump.json'),
      (e: Error) => e.name === 'SnapshotError' && message.test(e.message),
    );
  });
}
