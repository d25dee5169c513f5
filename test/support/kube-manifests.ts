// The deploy files under infra/kubernetes read as the API server would receive them: every
// kustomization (base, overlay or component) with the resource files it lists; each object checked
// against the Kubernetes schemas (kubernetes-models; the prometheus-operator's for ServiceMonitor
// and PrometheusRule) with no field the API does not know (client-node's models, as
// `kubectl apply --validate=strict` would refuse); and `kubectl kustomize` to render them, when a
// kubectl with kustomize v5 is installed (no Debian package has one: skipped, saying so, without).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as clientNode from '@kubernetes/client-node';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { REPO_ROOT } from './container.ts';

export const KUBE_DIR = 'infra/kubernetes';

export type Obj = Record<string, any>;
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// apiVersion/kind -> the schema's model and client-node's model of the same type (none for CRDs).
type Model = new (data: never) => { validate(): void };
const kinds: Record<string, { model: Model; fields?: string }> = {
  'v1/Namespace': { model: Namespace, fields: 'V1Namespace' },
  'v1/ConfigMap': { model: ConfigMap, fields: 'V1ConfigMap' },
  'v1/ServiceAccount': { model: ServiceAccount, fields: 'V1ServiceAccount' },
  'v1/Service': { model: Service, fields: 'V1Service' },
  'apps/v1/Deployment': { model: Deployment, fields: 'V1Deployment' },
  'apps/v1/DaemonSet': { model: DaemonSet, fields: 'V1DaemonSet' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    fields: 'V2HorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, fields: 'V1NetworkPolicy' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, fields: 'V1PodDisruptionBudget' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, fields: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    model: ClusterRoleBinding,
    fields: 'V1ClusterRoleBinding',
  },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, fields: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, fields: 'V1RoleBinding' },
  'monitoring.coreos.com/v1/ServiceMonitor': { model: ServiceMonitor },
  'monitoring.coreos.com/v1/PrometheusRule': { model: PrometheusRule },
};

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

/** Everything wrong with one object against the Kubernetes API: [] when it is valid. */
export function schemaErrors(obj: Obj): string[] {
  const kind = kinds[`${String(obj.apiVersion)}/${String(obj.kind)}`];
  if (!kind) return [`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
  const errors: string[] = [];
  try {
    new kind.model(obj as never).validate();
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  }
  return kind.fields ? unknownFields(obj, kind.fields, '', errors) : errors;
}

/** The objects of a YAML stream; `where` names it in errors. */
export function yamlObjects(text: string, where: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors.map(String).join('; ')}`);
    const obj: unknown = doc.toJS();
    if (obj === null) continue; // an empty document (a trailing ---)
    if (!isObj(obj)) throw new Error(`${where}: a document is not an object`);
    out.push(obj);
  }
  return out;
}

export interface Kustomization {
  /** Folder under infra/kubernetes: `dns`, `kube-dns`, `monitoring`. */
  folder: string;
  kind: 'Kustomization' | 'Component';
  spec: Obj;
  /** Objects of the resource files it lists (folders it lists are kustomizations of their own). */
  objects: { file: string; obj: Obj }[];
}

/** Every kustomization under infra/kubernetes, with its resource files read. */
export function kustomizations(): Kustomization[] {
  const root = join(REPO_ROOT, KUBE_DIR);
  return readdirSync(root)
    .filter((f) => statSync(join(root, f)).isDirectory())
    .map((folder) => {
      const dir = join(root, folder);
      const spec = yamlObjects(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'), folder)[0]!;
      const files = ((spec.resources ?? []) as string[]).filter((r) => !r.startsWith('..'));
      const objects = files.flatMap((file) =>
        yamlObjects(readFileSync(join(dir, file), 'utf8'), `${folder}/${file}`).map((obj) => ({
          file: `${KUBE_DIR}/${folder}/${file}`,
          obj,
        })),
      );
      return { folder, kind: spec.kind, spec, objects };
    });
}

/** A kubectl whose kustomize can render components (v5), or why the rendering tests skip. */
export async function kubectlSkip(): Promise<string | undefined> {
  const version = await kubectl(['version', '--client']).catch(() => undefined);
  if (version === undefined)
    return 'kubectl not installed (kubectl kustomize renders the kustomizations; no Debian package has kustomize v5: the Kubernetes project publishes kubectl packages)';
  const kustomize = /Kustomize Version: v(\d+)/.exec(version)?.[1];
  if (Number(kustomize ?? 0) < 5) return `kubectl's kustomize is older than v5:\n${version}`;
  return undefined;
}

function kubectl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      args,
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}

/**
 * `kubectl kustomize` of a kustomization made for the test, as a user writes one: the given
 * folders of infra/kubernetes as resources, and as components, in `namespace` when given (the
 * components' objects have none of their own); with only `resources: [folder]`, that folder's own
 * rendering.
 */
export async function render(
  resources: string[],
  components: string[] = [],
  namespace?: string,
): Promise<Obj[]> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-kustomize-'));
  try {
    const path = (folder: string) => relative(dir, join(REPO_ROOT, KUBE_DIR, folder));
    const lines = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      `resources: [${resources.map(path).join(', ')}]`,
      `components: [${components.map(path).join(', ')}]`,
      ...(namespace ? [`namespace: ${namespace}`] : []),
    ];
    writeFileSync(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return yamlObjects(await kubectl(['kustomize', dir]), `kubectl kustomize ${resources}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
