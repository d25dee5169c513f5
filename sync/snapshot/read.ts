import { readFileSync } from 'node:fs';
import { emptyObjects, parseSnapshot, SnapshotError, type ClusterObjects } from './parse.ts';

/** Reads snapshot files (JSON or YAML) into one set of objects. Throws SnapshotError. */
export function readSnapshots(files: string[]): ClusterObjects {
  if (files.length === 0)
    throw new SnapshotError(
      'no snapshot given: pass --snapshot FILE (a `kubectl get ns,svc,endpointslices,pods -A -o json` dump)',
    );
  const objects = emptyObjects();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new SnapshotError(`${file}: cannot read snapshot: ${(error as Error).message}`);
    }
    parseSnapshot(text, file, objects);
  }
  return objects;
}
