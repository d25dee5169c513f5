// Runs a loader script in a worker thread and takes the packed records it posts back. Loading a
// snapshot allocates several times the records' size; in a worker all of it goes back to the
// system when the worker exits, and only the packed records cross over, without a copy.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PackedNodes } from './node-arena.ts';

/**
 * The loader's heap cap for reading `files`. Below ~600 MB V8 lets a heap grow to about 1.4x its
 * live size before a full collection, against 4x under the default cap (V8 heap-controller.cc,
 * MaxGrowingFactor): a 36 MB snapshot then peaks at ~300 MB resident instead of ~470. Loading keeps
 * about 5x the input live; 16x leaves room, and never less than 256 MB.
 */
export function loaderHeapMb(files: string[]): number {
  return Math.max(256, Math.ceil((16 * snapshotBytes(files)) / 2 ** 20));
}

/** The files' total size in bytes; a missing file counts 0 (reading it reports it). */
export function snapshotBytes(files: string[]): number {
  return files.reduce(
    (sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

/** `script`: a .mjs bundle, or a .ts source (run under tsx, registered first in the worker). */
export function loadPacked(script: URL, workerData: unknown, heapMb: number): Promise<PackedNodes> {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  const worker = script.pathname.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`,
        { eval: true, workerData, resourceLimits },
      )
    : new Worker(script, { workerData, resourceLimits });
  return new Promise<PackedNodes>((resolve, reject) => {
    worker.once('message', (m: { packed?: PackedNodes; error?: string }) =>
      m.packed ? resolve(m.packed) : reject(new Error(m.error)),
    );
    worker.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`loading the records needs more than the loader's ${heapMb} MB heap`)
          : error,
      ),
    );
  }).finally(() => void worker.terminate());
}
