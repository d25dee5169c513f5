// The container's records (docs/architecture.md §3): the live cluster through the sync's watch and
// reconciler, written into the memory store; or snapshot files, built in a worker thread.
import { MemoryStore } from '../store/memory.ts';
import { MemoryWriter, memoryNodeHash } from '../store/memory-writer.ts';
import { loadPacked, loaderHeapMb } from '../store/packed-loader.ts';
import type { LiveSync } from '../../sync/live/live-sync.ts';
import type { ContainerConfig } from './container-config.ts';

export interface ContainerRecords {
  store: MemoryStore;
  /** The live source, when the container watches a cluster; it still has to be started. */
  live?: LiveSync;
  /** When the records last changed (unix ms; 0 before the first load): the metrics' data age. */
  changedAt(): number;
}

export async function containerRecords(
  config: Pick<ContainerConfig, 'snapshots' | 'kubernetes'>,
  log: (line: string) => void,
): Promise<ContainerRecords> {
  const store = new MemoryStore();
  const k8s = config.kubernetes;
  let changedAt = 0;
  /** The store's version stamp, asked at every change: whole seconds, as the SOA serial. */
  const serial = () => Math.floor((changedAt = Date.now()) / 1000);
  if (k8s.inCluster || k8s.kubeconfig !== undefined) {
    // client-node is loaded only here: it costs ~5 MB of heap, a third of what a server of the
    // sample cluster holds.
    const [{ LiveSync }, { loadKubeConfig }] = await Promise.all([
      import('../../sync/live/live-sync.ts'),
      import('../../sync/live/kube-config.ts'),
    ]);
    const writer = new MemoryWriter(store, serial);
    const live = new LiveSync({
      kubeConfig: loadKubeConfig(k8s),
      build: k8s,
      writer,
      hash: memoryNodeHash,
      log,
    });
    return { store, live, changedAt: () => changedAt };
  }
  // The bundle has a twin container-loader.mjs; from source (tsx) the .ts loader runs.
  const loader = new URL(
    import.meta.url.endsWith('.ts') ? './container-loader.ts' : './container-loader.mjs',
    import.meta.url,
  );
  const input = { snapshots: config.snapshots, kubernetes: k8s };
  store.replaceAllPacked(await loadPacked(loader, input, loaderHeapMb(config.snapshots)), serial());
  return { store, changedAt: () => changedAt };
}
