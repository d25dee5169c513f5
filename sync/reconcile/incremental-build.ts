// The desired records of the whole cluster, kept current one unit at a time: a Service or an
// EndpointSlice change rebuilds that Service's unit, never the whole cluster. Each unit is built
// with the same pure builder (buildCluster on the unit's objects); the desired node at a name is
// the merge of every unit's contribution there. incremental-build.test.ts checks that this equals
// buildCluster over all objects, for random clusters and random change sequences.
import type { NameNode } from '../../functions/core/record.ts';
import { buildCluster } from '../records/cluster.ts';
import { parseIp, reverseName } from '../records/ip.ts';
import type { BuildOptions } from '../records/options.ts';
import { RecordSets } from '../records/record-sets.ts';
import { clusterIPs } from '../records/service.ts';
import type { ClusterObjects } from '../kube/objects.ts';
import { emptyObjects, unitNamespace, zoneUnit, type UnitKey } from './units.ts';

// Nodes are kept as the JSON of their sets (the builder's output is canonical: sorted, fixed key
// order): about a third of the memory of the objects, and compared as strings.

interface Contribution {
  nodes: Map<string, string>;
  /** Reverse names this unit's Service claims with a cluster IP (ptr.ts: a claimed IP names
   *  one Service, the lowest namespace/name, and no endpoint). */
  claims: ReadonlySet<string>;
}

/** A node without its name (the map key holds it): its sets, and its synthesis if any. */
const fingerprint = (node: NameNode): string =>
  JSON.stringify(node.synth ? [node.sets, node.synth] : [node.sets]);

function decode(name: string, json: string): NameNode {
  const [sets, synth] = JSON.parse(json) as [NameNode['sets'], NameNode['synth']];
  return synth ? { name, sets, synth } : { name, sets };
}

/** What the planner reads: the desired node at a name, and every name. */
export interface DesiredNodes {
  get(name: string): NameNode | undefined;
  keys(): Iterable<string>;
  readonly size: number;
}

export class IncrementalBuild {
  readonly #options: BuildOptions;
  readonly #units = new Map<UnitKey, Contribution>();
  /** Units contributing at each name: most names have one, kept as the key alone. */
  readonly #contributors = new Map<string, UnitKey | Set<UnitKey>>();
  readonly #desired = new Map<string, string>();
  readonly #zoneBase: Map<string, string>;
  readonly #namespaceBase = new Map<string, Map<string, string>>();

  constructor(options: BuildOptions) {
    this.#options = options;
    this.#zoneBase = fingerprints(buildCluster(emptyObjects(), options));
  }

  /** The desired node per owner name. */
  readonly desired: DesiredNodes = ((map: Map<string, string>): DesiredNodes => ({
    get: (name) => {
      const json = map.get(name);
      return json === undefined ? undefined : decode(name, json);
    },
    keys: () => map.keys(),
    get size() {
      return map.size;
    },
  }))(this.#desired);

  /** Every desired node (decoded one at a time). */
  *nodes(): IterableIterator<NameNode> {
    for (const [name, json] of this.#desired) yield decode(name, json);
  }

  /** Rebuilds one unit from its objects; returns the names whose desired node may have changed. */
  setUnit(unit: UnitKey, objects: ClusterObjects): Set<string> {
    const before = this.#units.get(unit);
    const after = this.#contribution(unit, objects);
    const changed = new Set<string>();
    for (const [name, json] of before?.nodes ?? []) {
      const next = after.nodes.get(name);
      if (next !== json || before?.claims.has(name) !== after.claims.has(name)) changed.add(name);
    }
    for (const name of after.nodes.keys()) if (!before?.nodes.has(name)) changed.add(name);
    for (const name of before?.nodes.keys() ?? [])
      if (!after.nodes.has(name)) this.#removeContributor(name, unit);
    for (const name of after.nodes.keys()) this.#addContributor(name, unit);
    if (after.nodes.size === 0) this.#units.delete(unit);
    else this.#units.set(unit, after);
    for (const name of changed) this.#merge(name);
    return changed;
  }

  #addContributor(name: string, unit: UnitKey): void {
    const now = this.#contributors.get(name);
    if (now === undefined) this.#contributors.set(name, unit);
    else if (typeof now === 'string') {
      if (now !== unit) this.#contributors.set(name, new Set([now, unit]));
    } else now.add(unit);
  }

  #removeContributor(name: string, unit: UnitKey): void {
    const now = this.#contributors.get(name);
    if (now === unit) this.#contributors.delete(name);
    else if (typeof now === 'object') {
      now.delete(unit);
      if (now.size === 1) this.#contributors.set(name, now.values().next().value as UnitKey);
    }
  }

  #contribution(unit: UnitKey, objects: ClusterObjects): Contribution {
    const built = buildCluster(objects, this.#options);
    const ns = unitNamespace(unit);
    const shared = [
      unit === zoneUnit ? undefined : this.#zoneBase,
      ns !== undefined && !unit.startsWith('ns:') && objects.namespaces.length > 0
        ? this.#namespaceNodes(ns)
        : undefined,
    ];
    // Names every unit of the zone (or namespace) makes identically are owned by that unit alone.
    for (const base of shared) {
      if (!base) continue;
      for (const [name, print] of base) {
        const node = built.get(name);
        if (node && fingerprint(node) === print) built.delete(name);
      }
    }
    return { nodes: fingerprints(built), claims: this.#claims(objects) };
  }

  #namespaceNodes(ns: string): Map<string, string> {
    let base = this.#namespaceBase.get(ns);
    if (!base) {
      base = fingerprints(
        buildCluster(
          { ...emptyObjects(), namespaces: [{ metadata: { name: ns } }] },
          this.#options,
        ),
      );
      this.#namespaceBase.set(ns, base);
    }
    return base;
  }

  #claims(objects: ClusterObjects): Set<string> {
    const claims = new Set<string>();
    const filter = this.#options.namespaces;
    for (const svc of objects.services) {
      if (filter.length > 0 && !filter.includes(svc.metadata.namespace)) continue;
      for (const raw of clusterIPs(svc)) {
        const ip = parseIp(raw);
        if (ip) claims.add(reverseName(ip));
      }
    }
    return claims;
  }

  #merge(name: string): void {
    const now = this.#contributors.get(name);
    const units = now === undefined ? [] : typeof now === 'string' ? [now] : [...now];
    const nodes = (keys: UnitKey[]) =>
      keys
        .map((u) => this.#units.get(u)?.nodes.get(name))
        .filter((n): n is string => n !== undefined);
    if (units.length === 0) {
      this.#desired.delete(name);
      return;
    }
    const claimants = units.filter((u) => this.#units.get(u)?.claims.has(name)).sort();
    const [single] =
      claimants.length > 0
        ? nodes([claimants[0] as UnitKey])
        : units.length === 1
          ? nodes(units)
          : [];
    this.#desired.set(
      name,
      single ??
        fingerprint(
          union(
            name,
            nodes(units).map((j) => decode(name, j)),
          ),
        ),
    );
  }
}

function fingerprints(nodes: Map<string, NameNode>): Map<string, string> {
  return new Map([...nodes].map(([name, node]) => [name, fingerprint(node)]));
}

/** Several units at one name: RRsets merged as the builder merges them (record-sets.ts). */
function union(name: string, nodes: NameNode[]): NameNode {
  const out = new RecordSets();
  out.touch(name);
  for (const node of nodes) {
    if (node.synth) out.synth(name, node.synth);
    for (const set of node.sets) {
      for (const data of set.data)
        (out.add as (n: string, t: string, ttl: number, d: unknown) => void)(
          name,
          set.type,
          set.ttl,
          data,
        );
    }
  }
  const merged = out.finish().get(name);
  if (!merged) throw new Error(`merge lost ${name}`);
  return merged;
}
