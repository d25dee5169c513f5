// CoreDNS's `kubernetes` directive as the `kubernetes` and `snapshots` keys
// (sync/config/kubernetes-config.ts). Our sources are options too: `kubeconfig FILE`, and
// `snapshot FILE...` for kubectl dumps; with neither, the cluster the pod runs in, as CoreDNS.
// `fallthrough` is the chain's (container-blocks.ts), read from the directive there.
import { directiveError, type Directive } from '../corefile/corefile.ts';

/** Options CoreDNS has that edge-dns does not: refused by name rather than ignored. */
const UNSUPPORTED = ['endpoint', 'tls', 'namespace_labels', 'noendpoints', 'apiserver'];

export function kubernetesFromDirective(
  d: Directive,
  blockZones: string[],
): { kubernetes: Record<string, unknown>; snapshots?: string[] } {
  const k: Record<string, unknown> = { zones: d.args.length > 0 ? d.args : blockZones };
  let snapshots: string[] | undefined;
  for (const o of d.block ?? []) {
    const [first] = o.args;
    const none = () => {
      if (o.args.length > 0) throw directiveError(o, 'expected no arguments');
    };
    switch (o.name) {
      case 'kubeconfig':
        if (o.args.length !== 1)
          throw directiveError(
            o,
            'expected FILE (a CONTEXT is not supported: the current one is used)',
          );
        k.kubeconfig = first;
        break;
      case 'snapshot':
        if (o.args.length === 0) throw directiveError(o, 'expected FILE...');
        snapshots = o.args;
        break;
      case 'namespaces':
        k.namespaces = o.args;
        break;
      case 'labels':
        // CoreDNS joins the arguments: `labels app=web, tier in (public)`.
        if (o.args.length === 0) throw directiveError(o, 'expected EXPRESSION (a label selector)');
        k.labels = o.args.join(' ');
        break;
      case 'expose':
        if (o.args.length !== 1 || !['all', 'opt-in', 'opt-out'].includes(first!))
          throw directiveError(o, 'expected all, opt-in or opt-out (edge-dns)');
        k.expose = first;
        break;
      case 'pods':
        if (o.args.length !== 1) throw directiveError(o, 'expected disabled, insecure or verified');
        k.pods = first;
        break;
      case 'endpoint_pod_names':
        none();
        k.endpointPodNames = true;
        break;
      case 'ttl':
        if (o.args.length !== 1 || !/^\d+$/.test(first!))
          throw directiveError(o, 'expected SECONDS');
        k.ttl = Number(first);
        break;
      case 'ignore':
        if (first !== 'empty_service' || o.args.length !== 1)
          throw directiveError(o, 'expected empty_service');
        k.ignoreEmptyService = true;
        break;
      case 'multicluster':
        // Without ZONES CoreDNS takes none (OriginsFromArgsOrServerBlock with an empty block).
        if (o.args.length === 0) throw directiveError(o, 'expected ZONES... (kubernetes zones)');
        k.multicluster = o.args;
        break;
      case 'zonal':
        none();
        k.zonal = true;
        break;
      case 'fallthrough':
        break;
      default:
        throw directiveError(
          o,
          UNSUPPORTED.includes(o.name)
            ? 'option not supported by edge-dns'
            : `unknown option of kubernetes`,
        );
    }
  }
  if (k.kubeconfig !== undefined && snapshots)
    throw directiveError(d, 'choose one source: kubeconfig or snapshot');
  if (k.kubeconfig === undefined && !snapshots) k.inCluster = true;
  return { kubernetes: k, ...(snapshots && { snapshots }) };
}
