// Runs a loader script in a worker thread and takes the packed records it posts back. Loading a
// snapshot allocates several times the records' size; in a worker all of it goes back to the
// system when the worker exits, and only the packed records cross over, without a copy.
import { Worker } from 'node:worker_threads';
import type { PackedNodes } from './node-arena.ts';

/** `script`: a .mjs bundle, or a .ts source (run under tsx, registered first in the worker). */
export function loadPacked(script: URL, workerData: unknown): Promise<PackedNodes> {
  const worker = script.pathname.endsWith('.ts')
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`, { eval: true, workerData })
    : new Worker(script, { workerData });
  return new Promise<PackedNodes>((resolve, reject) => {
    worker.once('message', (m: { packed?: PackedNodes; error?: string }) => (m.packed ? resolve(m.packed) : reject(new Error(m.error))));
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}
