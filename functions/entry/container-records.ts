// The container's records (docs/architecture.md §3): the live cluster through the sync's watch and
// reconciler, written into the memory store; or snapshot files, built in a worker thread when they
// are large, in this thread when they are small (a reload's new answer then comes within
// milliseconds, not after a worker's start).
import { isLiveSource } from '../../common/config/source-choice.ts';
import { MemoryStore } from '../store/memory.ts';
import { MemoryWriter, memoryNodeHash } from '../store/memory-writer.ts';
import type { PackedNodes } from '../store/node-arena.ts';
import { loadPacked, loaderHeapMb, snapshotBytes } from '../store/packed-loader.ts';
import type { LiveSync, LiveSyncOptions } from '../../sync/live/live-sync.ts';
import type { WatchStatus } from '../../sync/watch/cluster-watch.ts';
import type { ContainerConfig } from './container-config.ts';
import type { SnapshotInput } from './snapshot-pack.ts';
import type { ClusterConfig } from './container-cluster-config.ts';
import { clusterRecords } from './container-cluster-records.ts';

/** The records as the server reads them: one cluster's memory store, or several as one. */
export type RecordsStore = Pick<
  MemoryStore,
  'lookup' | 'serial' | 'version' | 'synced' | 'size' | 'names'
>;

/** The live source as the server drives it: one cluster's LiveSync, or several as one. */
export type LiveSource = Pick<LiveSync, 'start' | 'notReady' | 'stop' | 'server'> & {
  publish(): Promise<unknown>;
  watch: Pick<LiveSync['watch'], 'isSynced'> & { status(): Record<string, WatchStatus> };
};

export interface ContainerRecords {
  store: RecordsStore;
  /** The live source, when the container watches a cluster; it still has to be started. */
  live?: LiveSource;
  /** When the records last changed (unix ms; 0 before the first load): the metrics' data age. */
  changedAt(): number;
}

/** What the metrics want to hear from the records' source (container-observers.ts). */
export interface RecordsHooks {
  /** coredns_kubernetes_dns_programming_duration_seconds (sync/live/programming-latency.ts). */
  programmed?: LiveSyncOptions['programmed'];
}

/**
 * Snapshots up to this many bytes (all files together) are built in this thread. Measured on the
 * 2-core benchmark machine: the sample cluster (187 KB) builds in 4-24 ms and leaves the process
 * ~4 MB larger; generated clusters of 168 KB and 342 KB take 25-44 ms and 33-72 ms and leave
 * +10 MB and +15 MB. The worker takes 200-250 ms for the same from the bundle (~0.5 s from source,
 * where it boots tsx) and leaves +5-9 MB after it exits, so below this size it saves nothing. Past
 * it the build blocks the event loop longer (1.4 MB: up to 310 ms, with 4 MiB of UDP receive
 * buffer holding about 300 ms at 10,000 q/s) and grows the heap for good (+60 MB), which the
 * worker gives back: the 36 MB benchmark snapshot goes there.
 */
export const IN_THREAD_MAX_BYTES = 256 * 1024;

export async function containerRecords(
  config: Pick<ContainerConfig, 'snapshots' | 'kubernetes'> &
    Partial<Pick<ContainerConfig, 'servers'>> & { clusters?: ClusterConfig[] },
  log: (line: string) => void,
  hooks: RecordsHooks = {},
): Promise<ContainerRecords> {
  // Cluster zones (docs/architecture.md §6.17): each cluster built as one alone.
  const clusters = config.clusters ?? [];
  if (clusters.length > 0)
    return clusterRecords({ ...config, clusters }, (c, l) => containerRecords(c, l, hooks), log);
  const store = new MemoryStore();
  const k8s = config.kubernetes;
  let changedAt = 0;
  /** The store's version stamp, asked at every change: whole seconds, as the SOA serial. */
  const serial = () => Math.floor((changedAt = Date.now()) / 1000);
  if (isLiveSource(k8s)) {
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
      ...(hooks.programmed && { programmed: hooks.programmed }),
    });
    return { store, live, changedAt: () => changedAt };
  }
  // A Corefile without `kubernetes` serves its other plugins alone, as CoreDNS would: no cluster
  // records unless --snapshot gives some (docs/corefile.md).
  const noCluster = config.servers?.every((s) => !s.plugins.some((d) => d.name === 'kubernetes'));
  if (noCluster && config.snapshots.length === 0) {
    serial();
    return { store, changedAt: () => changedAt };
  }
  store.replaceAllPacked(
    await packedRecords({ snapshots: config.snapshots, kubernetes: k8s }),
    serial(),
  );
  return { store, changedAt: () => changedAt };
}

/** The snapshots built here when small, else in the loader worker. */
async function packedRecords(input: SnapshotInput): Promise<PackedNodes> {
  const bytes = snapshotBytes(input.snapshots);
  if (bytes <= IN_THREAD_MAX_BYTES) {
    const { packSnapshots } = await import('./snapshot-pack.ts');
    return packSnapshots(input);
  }
  // The bundle has a twin container-loader.mjs; from source (tsx) the .ts loader runs.
  const loader = new URL(
    import.meta.url.endsWith('.ts') ? './container-loader.ts' : './container-loader.mjs',
    import.meta.url,
  );
  return loadPacked(loader, input, loaderHeapMb(input.snapshots));
}
