// The planner (docs/architecture.md §3.1: desired vs published -> changes). Pure. Compares content
// hashes, so an unchanged node is never rewritten, and what was published but is no longer
// desired is deleted.
import type { NameNode } from '../../functions/core/record.ts';

/** Names to put (their desired node) and names to delete. Names, not nodes: a plan of the whole
 *  cluster stays small, and the nodes are decoded chunk by chunk as they are written. */
export interface Plan {
  put: string[];
  delete: string[];
  /** The content hash of each name to put, computed once here and recorded when it is written. */
  hashes: Map<string, string>;
}

/**
 * `names` limits the plan to the names a change may have touched; without it every name desired
 * or published is compared (start-up reconcile, periodic resync).
 */
export function plan(
  desired: { get(name: string): NameNode | undefined; keys(): Iterable<string> },
  published: ReadonlyMap<string, string>,
  hash: (node: NameNode) => string,
  names?: Iterable<string>,
): Plan {
  const out: Plan = { put: [], delete: [], hashes: new Map() };
  const consider = names ?? new Set([...desired.keys(), ...published.keys()]);
  for (const name of consider) {
    const node = desired.get(name);
    const current = published.get(name);
    if (!node) {
      if (current !== undefined) out.delete.push(name);
    } else {
      const h = hash(node);
      if (current === h) continue;
      out.put.push(name);
      out.hashes.set(name, h);
    }
  }
  return out;
}
