// Which objects make up each unit, and which namespaces are exposed, kept current as objects
// change. The index only ever reads the source's current state, never an event's payload.
import type {
  ClusterObjects,
  EndpointSlice,
  ObjectKind,
  Pod,
  Service,
  ServiceExport,
  ServiceImport,
} from '../kube/objects.ts';
import type { ObjectSource } from './object-source.ts';
import {
  emptyObjects,
  importUnit,
  multiclusterSliceUnit,
  namespaceUnit,
  podUnit,
  serviceUnit,
  sliceUnit,
  unitNamespace,
  zoneUnit,
  type UnitKey,
} from './units.ts';

function namespaceOfKey(kind: ObjectKind, key: string): string {
  return kind === 'Namespace' ? key : key.slice(0, key.indexOf('/'));
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) map.delete(key);
}

export class UnitIndex {
  readonly #source: ObjectSource;
  readonly #filter: ReadonlySet<string>;
  readonly #sliceUnit = new Map<string, UnitKey>();
  readonly #sliceImportUnit = new Map<string, UnitKey>();
  readonly #slices = new Map<UnitKey, Set<string>>();
  /** Per namespace, its Services' keys and its ServiceImports' (`mcs:` + key). */
  readonly #services = new Map<string, Set<string>>();
  readonly #units = new Map<string, Set<UnitKey>>();
  /** Namespace objects as last noted: the source has already changed when note() runs. */
  readonly #namespaces = new Set<string>();

  /** `namespaces`: the CoreDNS `namespaces` option (empty = all). */
  constructor(source: ObjectSource, namespaces: readonly string[]) {
    this.#source = source;
    this.#filter = new Set(namespaces);
  }

  /**
   * cluster.ts exposedNamespaces: a Namespace object, a Service or a ServiceImport in it, narrowed
   * by `namespaces`.
   */
  exposed(ns: string): boolean {
    if (this.#filter.size > 0 && !this.#filter.has(ns)) return false;
    return this.#namespaces.has(ns) || this.#services.has(ns);
  }

  /** Records that the object (kind, key) changed; returns the units whose records may change. */
  note(kind: ObjectKind, key: string): Set<UnitKey> {
    const ns = namespaceOfKey(kind, key);
    const wasExposed = this.exposed(ns);
    const dirty = new Set<UnitKey>();
    const obj = this.#source.objects(kind).get(key);
    switch (kind) {
      case 'Namespace':
        if (obj) this.#namespaces.add(ns);
        else this.#namespaces.delete(ns);
        dirty.add(namespaceUnit(ns));
        break;
      case 'Service': {
        const unit = serviceUnit(ns, key.slice(ns.length + 1));
        if (obj) addTo(this.#services, ns, key);
        else removeFrom(this.#services, ns, key);
        dirty.add(unit);
        break;
      }
      case 'ServiceExport':
        // Part of its Service's unit (sync/records/exported.ts); it exposes no namespace.
        dirty.add(serviceUnit(ns, key.slice(ns.length + 1)));
        break;
      case 'ServiceImport':
        if (obj) addTo(this.#services, ns, `mcs:${key}`);
        else removeFrom(this.#services, ns, `mcs:${key}`);
        dirty.add(importUnit(ns, key.slice(ns.length + 1)));
        break;
      case 'EndpointSlice': {
        const slice = obj as EndpointSlice | undefined;
        this.#moveSlice(this.#sliceUnit, key, slice && sliceUnit(slice), dirty);
        this.#moveSlice(this.#sliceImportUnit, key, slice && multiclusterSliceUnit(slice), dirty);
        break;
      }
      case 'Pod':
        dirty.add(podUnit(key));
        break;
    }
    for (const unit of dirty) {
      if (this.#hasObjects(unit)) addTo(this.#units, ns, unit);
      else removeFrom(this.#units, ns, unit);
    }
    // Exposure decides every record of the namespace: all its units are rebuilt when it flips.
    if (this.exposed(ns) !== wasExposed) {
      dirty.add(namespaceUnit(ns));
      for (const unit of this.#units.get(ns) ?? []) dirty.add(unit);
    }
    return dirty;
  }

  /** A slice's membership in one kind of unit (a Service's, or an import's) moves to `after`. */
  #moveSlice(
    membership: Map<string, UnitKey>,
    key: string,
    after: UnitKey | undefined,
    dirty: Set<UnitKey>,
  ): void {
    const before = membership.get(key);
    if (before) {
      removeFrom(this.#slices, before, key);
      dirty.add(before);
    }
    if (after) {
      addTo(this.#slices, after, key);
      membership.set(key, after);
      dirty.add(after);
    } else membership.delete(key);
  }

  /** Rebuilds the index from the source; returns every unit. */
  reset(): Set<UnitKey> {
    this.#sliceUnit.clear();
    this.#sliceImportUnit.clear();
    this.#slices.clear();
    this.#services.clear();
    this.#units.clear();
    this.#namespaces.clear();
    const all = new Set<UnitKey>([zoneUnit]);
    const kinds: ObjectKind[] = [
      'Namespace',
      'Service',
      'ServiceImport',
      'ServiceExport',
      'EndpointSlice',
      'Pod',
    ];
    for (const kind of kinds) {
      for (const key of this.#source.objects(kind).keys())
        for (const unit of this.note(kind, key)) all.add(unit);
    }
    for (const ns of this.#services.keys()) all.add(namespaceUnit(ns));
    return all;
  }

  /** The objects of one unit, as the builder takes them. Namespace exposure comes from the whole
   *  cluster: an exposed namespace is passed in as a Namespace object. */
  objects(unit: UnitKey): ClusterObjects {
    const out = emptyObjects();
    const ns = unitNamespace(unit);
    if (ns === undefined) return out;
    if (this.exposed(ns)) out.namespaces.push({ metadata: { name: ns } });
    const key = unit.slice(unit.indexOf(':') + 1);
    if (unit.startsWith('svc:') || unit.startsWith('mcs:')) {
      if (unit.startsWith('svc:')) {
        const svc = this.#source.objects('Service').get(key) as Service | undefined;
        if (svc) out.services.push(svc);
        const exp = this.#source.objects('ServiceExport').get(key) as ServiceExport | undefined;
        if (exp) out.serviceExports = [exp];
      } else {
        const imp = this.#source.objects('ServiceImport').get(key) as ServiceImport | undefined;
        if (imp) out.serviceImports = [imp];
      }
      const slices = this.#source.objects('EndpointSlice');
      for (const sliceKey of this.#slices.get(unit) ?? []) {
        const slice = slices.get(sliceKey) as EndpointSlice | undefined;
        if (slice) out.endpointSlices.push(slice);
      }
    } else if (unit.startsWith('pod:')) {
      const pod = this.#source.objects('Pod').get(key) as Pod | undefined;
      if (pod) out.pods.push(pod);
    }
    return out;
  }

  #hasObjects(unit: UnitKey): boolean {
    const key = unit.slice(unit.indexOf(':') + 1);
    if (unit.startsWith('svc:'))
      return (
        this.#source.objects('Service').has(key) ||
        this.#source.objects('ServiceExport').has(key) ||
        this.#slices.has(unit)
      );
    if (unit.startsWith('mcs:'))
      return this.#source.objects('ServiceImport').has(key) || this.#slices.has(unit);
    if (unit.startsWith('pod:')) return this.#source.objects('Pod').has(key);
    return unit.startsWith('ns:') && this.#source.objects('Namespace').has(key);
  }
}
