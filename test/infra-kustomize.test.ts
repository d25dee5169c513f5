// Every kustomization under infra/kubernetes rendered by `kubectl kustomize`, alone and as a user
// would combine them (a base with the components, node-local beside the DNS server), each
// rendered object valid against the Kubernetes (and prometheus-operator) schemas; then what the
// overlay and components must do to the objects: kube-system and kube-dns names and labels, the
// autoscaler owning the replica count, the ServiceMonitor finding the Service and its port, the
// node-local ConfigMap reaching its DaemonSet. Skips, saying why, without a kubectl of kustomize v5.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/container.ts';
import { KUBE_DIR, kubectlSkip, render, schemaErrors, type Obj } from './support/kube-manifests.ts';

let skip: string | undefined;
before(async () => {
  skip = await kubectlSkip();
});

const find = (objs: Obj[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
/** The one object of `kind` (named `name`), failing the test when there is not exactly one. */
function one(objs: Obj[], kind: string, name?: string): Obj {
  const found = find(objs, kind, name);
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''}`);
  return found[0]!;
}
const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

const renders: [what: string, resources: string[], components: string[], namespace?: string][] = [
  ['dns', ['dns'], []],
  ['kube-dns', ['kube-dns'], []],
  ['node-local', ['node-local'], []],
  ['sync', ['sync'], []],
  ['monitoring alone', [], ['monitoring']],
  ['autoscaling alone', [], ['autoscaling']],
  ['dns with monitoring and autoscaling', ['dns'], ['monitoring', 'autoscaling'], 'edge-dns'],
  [
    'kube-dns with monitoring and autoscaling',
    ['kube-dns'],
    ['monitoring', 'autoscaling'],
    'kube-system',
  ],
  ['dns, node-local and the sync', ['dns', 'node-local', 'sync'], []],
];

test('every kustomization renders, alone and combined; every object is valid, every name once', async (t) => {
  if (skip) return t.skip(skip);
  for (const [what, resources, components, namespace] of renders) {
    const objs = await render(resources, components, namespace);
    assert.ok(objs.length > 0, what);
    for (const o of objs)
      assert.deepEqual(schemaErrors(o), [], `${what}: ${o.kind} ${o.metadata.name}`);
    const keys = objs.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    assert.deepEqual(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      [],
      what,
    );
  }
});

test('kube-dns: everything in kube-system, the Service named kube-dns, k8s-app labels, no Namespace', async (t) => {
  if (skip) return t.skip(skip);
  const objs = await render(['kube-dns'], ['monitoring'], 'kube-system');
  assert.deepEqual(
    find(objs, 'Namespace'),
    [],
    'kube-system exists; deleting the overlay must not delete it',
  );
  const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding']);
  for (const o of objs)
    assert.equal(
      o.metadata.namespace,
      clusterScoped.has(o.kind) ? undefined : 'kube-system',
      `${o.kind} ${o.metadata.name}`,
    );
  const service = one(objs, 'Service', 'kube-dns');
  assert.ok(service, 'a Service named kube-dns');
  assert.deepEqual(find(objs, 'Service').length, 1);
  assert.equal(service.metadata.labels['k8s-app'], 'kube-dns');
  assert.equal(service.spec.clusterIP, undefined, 'the ClusterIP is left to the user');
  const deployment = one(objs, 'Deployment', 'edge-dns');
  const podLabels = deployment.spec.template.metadata.labels;
  assert.equal(podLabels['k8s-app'], 'kube-dns');
  assert.ok(selects(service.spec.selector, podLabels));
  assert.ok(selects(deployment.spec.selector.matchLabels, podLabels));
  const binding = one(objs, 'ClusterRoleBinding');
  const account = one(objs, 'ServiceAccount');
  assert.deepEqual(binding.subjects, [
    { kind: 'ServiceAccount', name: account.metadata.name, namespace: 'kube-system' },
  ]);
  // The monitoring component finds the renamed Service.
  const monitor = one(objs, 'ServiceMonitor');
  assert.ok(selectsByExpressions(monitor.spec.selector, service.metadata.labels));
});

test('autoscaling: the HorizontalPodAutoscaler owns the replicas of the Deployment beside it', async (t) => {
  if (skip) return t.skip(skip);
  const objs = await render(['dns'], ['autoscaling'], 'edge-dns');
  const hpa = one(objs, 'HorizontalPodAutoscaler');
  const deployment = one(objs, 'Deployment', hpa.spec.scaleTargetRef.name);
  assert.ok(deployment, 'the target exists');
  assert.equal(deployment.spec.replicas, undefined, 'an apply must not reset the count');
  const pdb = one(objs, 'PodDisruptionBudget');
  assert.ok(hpa.spec.minReplicas > pdb.spec.maxUnavailable);
  assert.ok(deployment.spec.template.spec.containers[0].resources.requests.cpu, 'a CPU request');
});

/** A label selector with matchLabels and In expressions against labels. */
function selectsByExpressions(selector: Obj, labels: Record<string, string>): boolean {
  const exprs = (selector.matchExpressions ?? []) as {
    key: string;
    operator: string;
    values: string[];
  }[];
  return (
    selects(selector.matchLabels ?? {}, labels) ||
    (exprs.length > 0 &&
      exprs.every((e) => e.operator === 'In' && e.values.includes(labels[e.key]!)))
  );
}

test('monitoring: the ServiceMonitor scrapes the metrics port of both Services, as job edge-dns', async (t) => {
  if (skip) return t.skip(skip);
  const objs = await render(['dns', 'node-local'], ['monitoring'], 'edge-dns');
  const monitor = one(objs, 'ServiceMonitor');
  const scraped = find(objs, 'Service').filter((s) =>
    selectsByExpressions(monitor.spec.selector, s.metadata.labels),
  );
  assert.deepEqual(scraped.map((s) => s.metadata.name).sort(), ['edge-dns', 'edge-dns-node-local']);
  for (const s of scraped) {
    assert.equal(s.metadata.namespace, monitor.metadata.namespace);
    for (const e of monitor.spec.endpoints)
      assert.ok(
        s.spec.ports.some((p: Obj) => p.name === e.port),
        `${s.metadata.name}: ${e.port}`,
      );
  }
  const dns = scraped.find((s) => s.metadata.name === 'edge-dns')!;
  assert.equal(
    dns.metadata.labels[monitor.spec.jobLabel],
    'edge-dns',
    'the rules select job="edge-dns"',
  );
  const dashboard = one(objs, 'ConfigMap', 'edge-dns-dashboard');
  assert.equal(dashboard.metadata.labels.grafana_dashboard, '1');
  assert.equal(JSON.parse(dashboard.data['edge-dns.json']).uid, 'edge-dns');
  assert.equal(find(objs, 'PrometheusRule').length, 1);
});

test("node-local: the generated ConfigMap is the DaemonSet's, with the files beside the kustomization", async (t) => {
  if (skip) return t.skip(skip);
  const objs = await render(['dns', 'node-local']);
  const daemonSet = one(objs, 'DaemonSet');
  const volume = daemonSet.spec.template.spec.volumes.find((v: Obj) => v.configMap);
  const configMap = one(objs, 'ConfigMap', volume.configMap.name);
  assert.ok(configMap, `${volume.configMap.name} is rendered`);
  for (const file of ['node-local-interface.sh', 'empty-cluster.json'])
    assert.equal(
      configMap.data[file],
      readFileSync(join(REPO_ROOT, KUBE_DIR, 'node-local', file), 'utf8'),
    );
  // edge-dns-upstream selects the cluster DNS pods, in the same namespace as the caches.
  const upstream = one(objs, 'Service', 'edge-dns-upstream');
  const dns = one(objs, 'Deployment', 'edge-dns');
  assert.ok(selects(upstream.spec.selector, dns.spec.template.metadata.labels));
  assert.equal(upstream.metadata.namespace, daemonSet.metadata.namespace);
  assert.equal(dns.metadata.namespace, daemonSet.metadata.namespace);
});
