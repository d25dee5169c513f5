// The deploy files under infra/kubernetes: every object valid against the Kubernetes schemas
// (kubernetes-models) with no field the API does not know (client-node's models, as
// `kubectl apply --validate=strict` would refuse), then what no schema sees: RBAC kept read-only,
// ports, probes and flags that agree with the processes the images run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as clientNode from '@kubernetes/client-node';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  ClusterRole,
  type IClusterRole,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import {
  ClusterRoleBinding,
  type IClusterRoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role, type IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import {
  RoleBinding,
  type IRoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';

const root = join(import.meta.dirname, '..');
const kubeDir = 'infra/kubernetes';

// apiVersion/kind -> the schema's model and client-node's model of the same type.
type Model = new (data: never) => { validate(): void };
const kinds: Record<string, { model: Model; fields: string }> = {
  'v1/ServiceAccount': { model: ServiceAccount, fields: 'V1ServiceAccount' },
  'v1/Service': { model: Service, fields: 'V1Service' },
  'apps/v1/Deployment': { model: Deployment, fields: 'V1Deployment' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, fields: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    model: ClusterRoleBinding,
    fields: 'V1ClusterRoleBinding',
  },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, fields: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, fields: 'V1RoleBinding' },
};

// The processes the images run and the flags each takes (functions/entry/container-flags.ts,
// sync/config/sync-flags.ts; their READMEs). Flags not in `boolean` take a value.
const builderFlags = [
  '--zones',
  '--ttl',
  '--pods',
  '--namespaces',
  '--endpoint-pod-names',
  '--ignore-empty-service',
];
const boolean = new Set([
  '--in-cluster',
  '--once',
  '--endpoint-pod-names',
  '--ignore-empty-service',
]);
const images: Record<string, { dockerfile: string; flags: string[] }> = {
  'edge-dns': {
    dockerfile: 'infra/container/Dockerfile',
    flags: [
      '--config',
      '--snapshot',
      '--dns',
      '--tcp-idle-timeout',
      '--tcp-max-connections',
      '--ns-addresses',
      '--in-cluster',
      '--kubeconfig',
      '--health',
      ...builderFlags,
    ],
  },
  'edge-dns-sync': {
    dockerfile: 'infra/sync/Dockerfile',
    flags: [
      '--config',
      '--snapshot',
      '--in-cluster',
      '--kubeconfig',
      '--cluster-id',
      '--table',
      '--region',
      '--dynamodb-endpoint',
      '--lease-namespace',
      '--lease-name',
      '--identity',
      '--health',
      '--once',
      '--resync-seconds',
      ...builderFlags,
    ],
  },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// Paths of fields that client-node's model of `type` does not declare (maps and lists walked).
function unknownFields(value: unknown, type: string, path: string, out: string[]): string[] {
  const inner = /^Array<(.+)>$/.exec(type) ?? /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (inner?.[1] !== undefined) {
    const entries = Array.isArray(value)
      ? value.entries()
      : isObj(value)
        ? Object.entries(value)
        : [];
    for (const [k, v] of entries) unknownFields(v, inner[1], `${path}.${k}`, out);
    return out;
  }
  const model = (clientNode as unknown as Record<string, unknown>)[type];
  if (!isObj(value) || typeof model !== 'function' || !('getAttributeTypeMap' in model)) return out;
  const attributes = (model.getAttributeTypeMap as () => { baseName: string; type: string }[])();
  const known = new Map(attributes.map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = known.get(k);
    if (t === undefined) out.push(`${path}.${k}: unknown field`);
    else unknownFields(v, t, `${path}.${k}`, out);
  }
  return out;
}

// Everything wrong with one object against the Kubernetes API: [] when it is valid.
function schemaErrors(obj: Obj): string[] {
  const kind = kinds[`${String(obj.apiVersion)}/${String(obj.kind)}`];
  if (!kind) return [`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
  const errors: string[] = [];
  try {
    new kind.model(obj as never).validate();
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  }
  return unknownFields(obj, kind.fields, '', errors);
}

interface Manifest {
  folder: string;
  file: string;
  obj: Obj;
}
function loadManifests(): Manifest[] {
  const out: Manifest[] = [];
  for (const folder of readdirSync(join(root, kubeDir), { withFileTypes: true }).filter((d) =>
    d.isDirectory(),
  )) {
    for (const file of readdirSync(join(root, kubeDir, folder.name)).filter((f) =>
      /\.ya?ml$/.test(f),
    )) {
      if (file === 'kustomization.yaml') continue;
      const where = `${kubeDir}/${folder.name}/${file}`;
      for (const doc of parseAllDocuments(readFileSync(join(root, where), 'utf8'))) {
        assert.deepEqual(doc.errors.map(String), [], where);
        const obj: unknown = doc.toJS();
        if (obj === null) continue; // an empty document (a trailing ---)
        assert.ok(isObj(obj), `${where}: a document is not an object`);
        out.push({ folder: folder.name, file: `${where} ${String(obj.kind)}`, obj });
      }
    }
  }
  return out;
}
const manifests = loadManifests();
const ofKind = <T>(kind: string) =>
  manifests.filter((m) => m.obj.kind === kind) as (Manifest & { obj: Obj & T })[];
const deployments = ofKind<IDeployment>('Deployment');
const containers = deployments.flatMap((d) =>
  d.obj.spec!.template.spec!.containers.map((c) => ({ ...d, c })),
);
const imageOf = (c: IContainer) => images[c.image!.replace(/:[^:/]*$/, '')];
// `--flag value` pairs of a container's args ('' for a flag without a value).
function flags(c: IContainer): Map<string, string> {
  const args = c.args ?? [];
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++)
    out.set(args[i]!, boolean.has(args[i]!) ? '' : (args[++i] ?? ''));
  return out;
}

test('every manifest is valid against the Kubernetes schemas, with no unknown field', () => {
  assert.deepEqual(new Set(manifests.map((m) => m.folder)), new Set(['sync', 'dns']));
  for (const m of manifests) assert.deepEqual(schemaErrors(m.obj), [], m.file);
});

test('the validator rejects broken objects', () => {
  const deployment = structuredClone(deployments[0]!.obj);
  const role = structuredClone(ofKind<IRole>('Role')[0]!.obj);
  const cases: [string, (o: Obj) => void, Obj, RegExp][] = [
    [
      'a string in replicas',
      (o) => ((o.spec as Obj).replicas = '2'),
      deployment,
      /replicas must be integer/,
    ],
    [
      'a misspelt field',
      (o) => ((o.rules as Obj[])[0]!.resourceName = ['x']),
      role,
      /\.rules\.0\.resourceName: unknown field/,
    ],
    [
      'a bad quantity',
      (o) =>
        ((o.spec as IDeployment['spec'])!.template.spec!.containers[0]!.resources!.limits!.memory =
          'lots'),
      deployment,
      /quantity/,
    ],
    [
      'an unknown kind',
      (o) => (o.kind = 'Deploymnet'),
      deployment,
      /no schema for apps\/v1 Deploymnet/,
    ],
  ];
  for (const [name, breakIt, valid, expected] of cases) {
    assert.deepEqual(schemaErrors(valid), [], name);
    const broken = structuredClone(valid);
    breakIt(broken);
    assert.match(schemaErrors(broken).join('\n'), expected, name);
  }
});

test('each kustomization lists exactly the manifests beside it, in the namespace its bindings name', () => {
  for (const folder of ['sync', 'dns']) {
    const k = parseAllDocuments(
      readFileSync(join(root, kubeDir, folder, 'kustomization.yaml'), 'utf8'),
    )[0]!.toJS() as Obj;
    const files = readdirSync(join(root, kubeDir, folder)).filter(
      (f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml',
    );
    assert.deepEqual([...(k.resources as string[])].sort(), files.sort(), folder);
    for (const b of ofKind<IClusterRoleBinding>('ClusterRoleBinding').filter(
      (m) => m.folder === folder,
    ))
      for (const s of b.obj.subjects ?? []) assert.equal(s.namespace, k.namespace, b.file);
  }
});

test('ClusterRoles only get, list and watch namespaces, services, pods and endpointslices', () => {
  const readable: Record<string, string[]> = {
    '': ['namespaces', 'services', 'pods'],
    'discovery.k8s.io': ['endpointslices'],
  };
  for (const m of ofKind<IClusterRole>('ClusterRole')) {
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
  const sync = containers.filter(({ c }) => imageOf(c) === images['edge-dns-sync']);
  assert.equal(sync.length, 1);
  const lease =
    flags(sync[0]!.c).get('--lease-name') ??
    `edge-dns-sync-${flags(sync[0]!.c).get('--cluster-id')}`;
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
      beside.some((m) => m.obj.kind === kind && (m.obj.metadata as Obj).name === name);
    assert.ok(named(b.obj.roleRef.kind, b.obj.roleRef.name), `${b.file}: roleRef`);
    for (const s of b.obj.subjects ?? [])
      assert.ok(
        s.kind === 'ServiceAccount' && named('ServiceAccount', s.name),
        `${b.file}: ${s.name}`,
      );
  }
  for (const d of deployments)
    assert.ok(
      bindings.some(
        (b) =>
          b.folder === d.folder &&
          b.obj.subjects?.[0]?.name === d.obj.spec!.template.spec!.serviceAccountName,
      ),
      d.file,
    );
});

test('deployments: two replicas, probes on declared ports the process listens on, limits, locked down', () => {
  assert.equal(deployments.length, 2);
  for (const d of deployments) {
    const spec = d.obj.spec!;
    assert.equal(spec.replicas, 2, d.file);
    for (const [k, v] of Object.entries(spec.selector.matchLabels ?? {}))
      assert.equal(spec.template.metadata?.labels?.[k], v, d.file);
    assert.equal(spec.template.spec!.securityContext?.runAsNonRoot, true, d.file);
  }
  for (const { file, c } of containers) {
    const port = (p: number | string | undefined) =>
      c.ports?.find((cp) => cp.name === p || cp.containerPort === p);
    const health = flags(c).get('--health');
    assert.ok(health, `${file}: --health`);
    for (const [probe, path] of [
      [c.livenessProbe, '/health'],
      [c.readinessProbe, '/ready'],
    ] as const) {
      assert.equal(probe?.httpGet?.path, path, file);
      const declared = port(probe.httpGet.port);
      assert.ok(declared && (declared.protocol ?? 'TCP') === 'TCP', `${file}: ${path} port`);
      assert.equal(
        health.split(':').at(-1),
        String(declared.containerPort),
        `${file}: --health and ${path}`,
      );
    }
    const dns = flags(c).get('--dns');
    if (dns)
      for (const protocol of ['UDP', 'TCP'])
        assert.ok(
          c.ports?.some(
            (p) => String(p.containerPort) === dns.split(':').at(-1) && p.protocol === protocol,
          ),
          `${file}: ${protocol} ${dns}`,
        );
    assert.ok(c.resources?.requests?.memory && c.resources.limits?.memory, `${file}: memory`);
    const sc = c.securityContext;
    assert.deepEqual(
      [
        sc?.runAsNonRoot,
        sc?.readOnlyRootFilesystem,
        sc?.allowPrivilegeEscalation,
        sc?.capabilities?.drop,
      ],
      [true, true, false, ['ALL']],
      file,
    );
  }
  const sync = containers.find(({ c }) => imageOf(c) === images['edge-dns-sync'])!;
  assert.equal(sync.c.resources?.limits?.memory, '384Mi');
  for (const name of ['POD_NAME', 'POD_NAMESPACE'])
    assert.ok(
      sync.c.env?.some((e) => e.name === name && e.valueFrom?.fieldRef),
      name,
    );
});

test('the Service sends 53 over UDP and TCP to ports its pods declare', () => {
  const services = ofKind<IService>('Service');
  assert.equal(services.length, 1);
  for (const s of services) {
    const selector = Object.entries(s.obj.spec!.selector ?? {});
    const pods = containers.filter(({ obj }) =>
      selector.every(([k, v]) => obj.spec!.template.metadata?.labels?.[k] === v),
    );
    assert.equal(pods.length, 1, `${s.file}: selects one Deployment`);
    const ports = s.obj.spec!.ports ?? [];
    assert.deepEqual(ports.map((p) => `${p.port}/${p.protocol}`).sort(), ['53/TCP', '53/UDP']);
    for (const p of ports) {
      const declared = (cp: NonNullable<IContainer['ports']>[number]) =>
        (cp.containerPort === p.targetPort || cp.name === p.targetPort) &&
        (cp.protocol ?? 'TCP') === (p.protocol ?? 'TCP');
      assert.ok(
        pods[0]!.c.ports?.some(declared),
        `${s.file}: ${p.name} -> ${p.targetPort}/${p.protocol}`,
      );
    }
  }
});

test('args use only the flags of the process the image runs; sync and server build alike', () => {
  for (const { file, c } of containers) {
    const image = imageOf(c);
    assert.ok(image, `${file}: image ${c.image} is not one of ours`);
    assert.equal(c.command, undefined, `${file}: the image's ENTRYPOINT runs the process`);
    for (const [flag, value] of flags(c)) {
      assert.ok(image.flags.includes(flag), `${file}: ${flag}`);
      assert.ok(
        boolean.has(flag) || (value !== '' && !value.startsWith('--')),
        `${file}: ${flag} needs a value`,
      );
    }
    assert.equal(
      ['--in-cluster', '--kubeconfig'].filter((f) => flags(c).has(f)).length,
      1,
      `${file}: one credential source`,
    );
  }
  const [a, b] = containers.map(({ c }) => flags(c));
  for (const flag of builderFlags) assert.equal(a!.get(flag), b!.get(flag), flag);
});

test('the READMEs name Dockerfiles that exist, one per image deployed', () => {
  // A path in a README is from the repository root when it starts with infra/, else from the README.
  const readmes = ['infra', kubeDir].map((dir) => ({
    dir,
    text: readFileSync(join(root, dir, 'README.md'), 'utf8'),
  }));
  const named = readmes.flatMap(({ dir, text }) =>
    [...text.matchAll(/[\w.-]+(?:\/[\w.-]+)*\/Dockerfile\b/g)].map((m) =>
      m[0].startsWith('infra/') ? m[0] : join(dir, m[0]),
    ),
  );
  assert.ok(named.length >= 2);
  for (const path of named) assert.ok(existsSync(join(root, path)), path);
  for (const { c } of containers) {
    const dockerfile = imageOf(c)!.dockerfile;
    assert.ok(existsSync(join(root, dockerfile)), dockerfile);
    assert.match(
      readmes[1]!.text,
      new RegExp(`\`${c.image!.replace(/:.*/, '')}\`.*${dockerfile}`),
      c.image,
    );
  }
});
