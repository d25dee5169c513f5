// The Kubernetes API a process watches: a kubeconfig file's current context, or the pod's own
// service account ("Accessing the Kubernetes API from a Pod": KUBERNETES_SERVICE_HOST/_PORT and
// the token under /var/run/secrets/kubernetes.io/serviceaccount). client-node throws raw errors
// (ENOENT, a YAML parser's frame, a TypeError on an empty file) or loads a config with no cluster:
// these become one-line errors naming the file, for the entries' exit-2 messages.
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeSource {
  kubeconfig?: string;
  inCluster?: boolean;
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

export function loadKubeConfig(source: KubeSource): KubeConfig {
  const kc = new KubeConfig();
  const file = source.kubeconfig;
  if (file === undefined) {
    if (!process.env.KUBERNETES_SERVICE_HOST)
      throw new Error(
        'in-cluster credentials: KUBERNETES_SERVICE_HOST is not set (not running in a pod? pass --kubeconfig FILE)',
      );
    kc.loadFromCluster();
    return kc;
  }
  try {
    kc.loadFromFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `kubeconfig ${file}: ${typeof code === 'string' ? `cannot read it (${code})` : `not a valid kubeconfig: ${firstLine(error)}`}`,
    );
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    const context = kc.getCurrentContext();
    throw new Error(
      `kubeconfig ${file}: no cluster server for the current context${context ? ` "${context}"` : ' (current-context is not set)'}`,
    );
  }
  return kc;
}
