// `pods verified`: `<dashed-ip>.<ns>.pod.<zone>` for the pods CoreDNS indexes (kubernetes.go
// findPods, controller.go podListFunc, object/pod.go ToPod).
import type { Pod } from '../kube/objects.ts';
import { dashedIp, parseIp, type Ip } from './ip.ts';
import { join, podNamespaceName } from './names.ts';
import type { RecordSets } from './record-sets.ts';

/** CoreDNS lists pods with `status.phase!=Succeeded,status.phase!=Failed,status.phase!=Unknown`. */
const unindexedPhases = new Set(['Succeeded', 'Failed', 'Unknown']);

/**
 * The address CoreDNS indexes a pod under: status.podIP only (never podIPs[1]), none for a pod
 * in a listed-out phase or with a deletionTimestamp (ToPod returns errPodTerminating).
 */
function indexedPodIp(pod: Pod): Ip | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  if (unindexedPhases.has(pod.status?.phase ?? '')) return undefined;
  const raw = pod.status?.podIP;
  return raw ? parseIp(raw) : undefined;
}

/** Adds the verified pod records of `pods` whose namespace is exposed, in `zone`. */
export function addVerifiedPods(
  out: RecordSets,
  pods: readonly Pod[],
  exposed: (namespace: string) => boolean,
  zone: string,
  ttl: number,
): void {
  for (const pod of pods) {
    if (!exposed(pod.metadata.namespace)) continue;
    const ip = indexedPodIp(pod);
    if (!ip) continue;
    const name = join(dashedIp(ip), podNamespaceName(pod.metadata.namespace, zone));
    out.add(name, ip.family === 4 ? 'A' : 'AAAA', ttl, ip.text);
  }
}
