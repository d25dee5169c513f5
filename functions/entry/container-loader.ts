// Worker thread of the container entry: snapshot files -> records. Loading a snapshot allocates
// several times the records' size (the parsed dump, narrowed objects, the builder's maps); in a
// worker all of it is returned to the system when the worker exits, and only the packed records
// cross over, without a copy.
import { parentPort, workerData } from 'node:worker_threads';
import { packSnapshots, type SnapshotInput } from './snapshot-pack.ts';

try {
  const packed = packSnapshots(workerData as SnapshotInput);
  parentPort?.postMessage({ packed }, [
    packed.bytes.buffer as ArrayBuffer,
    packed.slots.buffer as ArrayBuffer,
  ]);
} catch (error) {
  parentPort?.postMessage({ error: (error as Error).message });
}
