// A test API server seeded from a kubectl list file (`kubectl get -o json` shape), as
// `kubectl apply` would, with a kubeconfig for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './container.ts';
import { KubeApiServer, type KubeKind } from './kube-api-server.ts';
import type { Json } from './kube-objects.ts';

/** Applies every object of `file` (a path from the repository root) to `api`. */
export function applyList(api: KubeApiServer, file: string): void {
  const list = JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as {
    items: (Json & { kind: KubeKind })[];
  };
  for (const item of list.items) api.apply(item.kind, item);
}

/** A new API server holding `file`'s objects, and its kubeconfig written in `dir`. */
export async function listApi(
  file: string,
  dir: string,
): Promise<{ api: KubeApiServer; kubeconfig: string }> {
  const api = await KubeApiServer.start();
  applyList(api, file);
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  api.writeKubeconfig(kubeconfig);
  return { api, kubeconfig };
}
