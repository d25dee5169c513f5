// Where the records come from, as the container's and the sync's configuration both choose it:
// snapshot files, or a live cluster through a kubeconfig or the pod's own service account — one
// of those two at most (CoreDNS's `kubernetes` plugin takes `kubeconfig` or runs in-cluster).
import type * as z from 'zod';

/** The `kubernetes` keys that choose a live source. */
export interface LiveSourceKeys {
  inCluster: boolean;
  kubeconfig?: string | undefined;
}

/** Whether the records come from a live cluster (a kubeconfig, or in-cluster). */
export const isLiveSource = (k: LiveSourceKeys): boolean =>
  k.inCluster || k.kubeconfig !== undefined;

/**
 * A schema refinement of the `kubernetes` key: both live sources named is a problem placed at
 * `kubernetes.inCluster`. Returns whether a live source is chosen, for the caller's own rules
 * about snapshots.
 */
export function refineLiveSource(c: { kubernetes: LiveSourceKeys }, ctx: z.RefinementCtx): boolean {
  if (c.kubernetes.inCluster && c.kubernetes.kubeconfig !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['kubernetes', 'inCluster'],
      message: 'choose one source: inCluster or kubeconfig, not both',
    });
  }
  return isLiveSource(c.kubernetes);
}
