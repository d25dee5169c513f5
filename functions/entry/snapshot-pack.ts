// Snapshot files -> packed records (functions/store/node-arena.ts): what the loader worker runs
// (container-loader.ts) for large snapshots, and what the container runs in its own thread for
// small ones (container-records.ts).
import { readSnapshots } from '../../sync/snapshot/read.ts';
import { buildCluster } from '../../sync/records/cluster.ts';
import { NodeArena, type PackedNodes } from '../store/node-arena.ts';
import type { ContainerConfig } from './container-config.ts';

export type SnapshotInput = Pick<ContainerConfig, 'snapshots' | 'kubernetes'>;

/** Reads and builds `input.snapshots`; throws naming the file and what is wrong in it. */
export function packSnapshots(input: SnapshotInput): PackedNodes {
  return NodeArena.pack(buildCluster(readSnapshots(input.snapshots), input.kubernetes).values());
}
