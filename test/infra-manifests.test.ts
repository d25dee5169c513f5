// The deploy files under infra/kubernetes, as files: every object each kustomization lists valid
// against the Kubernetes schemas with no unknown field (test/support/kube-manifests.ts), every
// file used, RBAC kept read-only, bindings that name what is beside them, and READMEs that name
// Dockerfiles that exist. What the workloads run: infra-workloads.test.ts; the kustomizations
// rendered by kubectl: infra-kustomize.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { REPO_ROOT } from './support/container.ts';
import { KUBE_DIR, kustomizations, schemaErrors, type Obj } from './support/kube-manifests.ts';

const all = kustomizations();
const manifests = all.flatMap((k) => k.objects.map((o) => ({ folder: k.folder, ...o })));
const ofKind = <T>(kind: string) =>
  manifests.filter((m) => m.obj.kind === kind) as ((typeof manifests)[number] & { obj: Obj & T })[];

/** The images deployed, and the Dockerfile that builds each. */
const dockerfiles: Record<string, string> = {
  'edge-dns': 'infra/container/Dockerfile',
  'edge-dns-sync': 'infra/sync/Dockerfile',
  'edge-dns-node-local-setup': 'infra/node-local/Dockerfile',
};

test('every kustomization: the objects it lists are valid against the schemas, with no unknown field', () => {
  assert.deepEqual(all.map((k) => `${k.folder} ${k.kind}`).sort(), [
    'autoscaling Component',
    'dns Kustomization',
    'kube-dns Kustomization',
    'monitoring Component',
    'node-local Kustomization',
    'sync Kustomization',
  ]);
  assert.ok(manifests.length >= 20);
  for (const m of manifests) assert.deepEqual(schemaErrors(m.obj), [], m.file);
});

test('the validator rejects broken objects', () => {
  const deployment = structuredClone(ofKind<IDeployment>('Deployment')[0]!.obj);
  const role = structuredClone(ofKind<IRole>('Role')[0]!.obj);
  const rule = structuredClone(ofKind('PrometheusRule')[0]!.obj);
  const cases: [string, (o: Obj) => void, Obj, RegExp][] = [
    [
      'a string in replicas',
      (o) => (o.spec.replicas = '2'),
      deployment,
      /replicas must be integer/,
    ],
    [
      'a misspelt field',
      (o) => (o.rules[0].resourceName = ['x']),
      role,
      /\.rules\.0\.resourceName: unknown field/,
    ],
    [
      'a bad quantity',
      (o) => (o.spec.template.spec.containers[0].resources.limits.memory = 'lots'),
      deployment,
      /quantity/,
    ],
    [
      'an unknown kind',
      (o) => (o.kind = 'Deploymnet'),
      deployment,
      /no schema for apps\/v1 Deploymnet/,
    ],
    ['a rule without expr', (o) => delete o.spec.groups[0].rules[0].expr, rule, /expr/],
  ];
  for (const [name, breakIt, valid, expected] of cases) {
    assert.deepEqual(schemaErrors(valid), [], name);
    const broken = structuredClone(valid);
    breakIt(broken);
    assert.match(schemaErrors(broken).join('\n'), expected, name);
  }
});

test('every file beside a kustomization is used by it; bindings name its namespace', () => {
  for (const k of all) {
    const used = new Set<string>([
      'kustomization.yaml',
      ...((k.spec.resources ?? []) as string[]),
      ...((k.spec.patches ?? []) as Obj[]).flatMap((p) => (p.path ? [p.path as string] : [])),
      ...((k.spec.configMapGenerator ?? []) as Obj[]).flatMap((g) =>
        (g.files as string[]).map((f) => f.replace(/^[^=]*=/, '')),
      ),
    ]);
    const files = readdirSync(join(REPO_ROOT, KUBE_DIR, k.folder));
    assert.deepEqual(
      files.filter((f) => !used.has(f)),
      [],
      `${k.folder}: files not used`,
    );
    for (const b of ofKind<IClusterRoleBinding>('ClusterRoleBinding').filter(
      (m) => m.folder === k.folder,
    ))
      for (const s of b.obj.subjects ?? []) assert.equal(s.namespace, k.spec.namespace, b.file);
  }
});

test('ClusterRoles only get, list and watch namespaces, services, pods, endpointslices, serviceimports and serviceexports', () => {
  const readable: Record<string, string[]> = {
    '': ['namespaces', 'services', 'pods'],
    'discovery.k8s.io': ['endpointslices'],
    'multicluster.x-k8s.io': ['serviceimports', 'serviceexports'],
  };
  const roles = ofKind<IClusterRole>('ClusterRole');
  assert.equal(roles.length, 2);
  for (const m of roles) {
    assert.ok(!m.obj.aggregationRule, m.file);
    for (const rule of m.obj.rules ?? []) {
      assert.equal(rule.nonResourceURLs, undefined, m.file);
      for (const group of rule.apiGroups ?? []) {
        for (const r of rule.resources ?? [])
          assert.ok(readable[group]?.includes(r), `${m.file}: ${group}/${r}`);
      }
      for (const verb of rule.verbs)
        assert.ok(['get', 'list', 'watch'].includes(verb), `${m.file}: ${verb}`);
    }
  }
});

test('the sync may create leases, and get and update only the one it is told to use', () => {
  const sync = ofKind<IDeployment>('Deployment').find((d) => d.folder === 'sync')!;
  const args = sync.obj.spec!.template.spec!.containers[0]!.args!;
  const lease = args[args.indexOf('--lease-name') + 1];
  const rules = ofKind<IRole>('Role').flatMap((m) => m.obj.rules ?? []);
  for (const rule of rules) {
    assert.deepEqual([rule.apiGroups, rule.resources], [['coordination.k8s.io'], ['leases']]);
    for (const verb of rule.verbs) assert.ok(['get', 'update', 'create'].includes(verb), verb);
    // RBAC cannot limit create by name; every other verb must be.
    if (!rule.verbs.includes('create')) assert.deepEqual(rule.resourceNames, [lease]);
  }
  assert.deepEqual(new Set(rules.flatMap((r) => r.verbs)), new Set(['get', 'update', 'create']));
});

test('bindings name a role and a ServiceAccount declared beside them, used by a Deployment', () => {
  const bindings = [
    ...ofKind<IClusterRoleBinding>('ClusterRoleBinding'),
    ...ofKind<IRoleBinding>('RoleBinding'),
  ];
  for (const b of bindings) {
    const beside = manifests.filter((m) => m.folder === b.folder);
    const named = (kind: string, name: string) =>
      beside.some((m) => m.obj.kind === kind && m.obj.metadata.name === name);
    assert.ok(named(b.obj.roleRef.kind, b.obj.roleRef.name), `${b.file}: roleRef`);
    for (const s of b.obj.subjects ?? [])
      assert.ok(
        s.kind === 'ServiceAccount' && named('ServiceAccount', s.name),
        `${b.file}: ${s.name}`,
      );
  }
  for (const d of ofKind<IDeployment>('Deployment'))
    assert.ok(
      bindings.some(
        (b) =>
          b.folder === d.folder &&
          b.obj.subjects?.[0]?.name === d.obj.spec!.template.spec!.serviceAccountName,
      ),
      d.file,
    );
});

test('the READMEs name Dockerfiles that exist, one per image deployed', () => {
  // A path in a README is from the repository root when it starts with infra/, else from the README.
  const readmes = ['infra', KUBE_DIR].map((dir) => ({
    dir,
    text: readFileSync(join(REPO_ROOT, dir, 'README.md'), 'utf8'),
  }));
  const named = readmes.flatMap(({ dir, text }) =>
    [...text.matchAll(/[\w.-]+(?:\/[\w.-]+)*\/Dockerfile\b/g)].map((m) =>
      m[0].startsWith('infra/') ? m[0] : join(dir, m[0]),
    ),
  );
  assert.ok(named.length >= 3);
  for (const path of named) assert.ok(existsSync(join(REPO_ROOT, path)), path);
  const images = manifests.flatMap(({ obj }) => {
    const pod = obj.spec?.template?.spec;
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c: Obj) =>
      String(c.image).replace(/:[^:/]*$/, ''),
    );
  });
  assert.deepEqual([...new Set(images)].sort(), Object.keys(dockerfiles).sort());
  for (const [image, dockerfile] of Object.entries(dockerfiles)) {
    assert.ok(existsSync(join(REPO_ROOT, dockerfile)), dockerfile);
    assert.match(readmes[1]!.text, new RegExp(`\`${image}\`.*${dockerfile}`), image);
  }
});
