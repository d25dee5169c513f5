// An ObjectSource held in memory and changed by calls, for tests.
import {
  objectKey,
  type ClusterObjects,
  type ObjectKind,
  type ServiceExport,
  type ServiceImport,
} from '../../sync/kube/objects.ts';
import type { KubeObject, ObjectSource } from '../../sync/reconcile/object-source.ts';

export class MutableSource implements ObjectSource {
  readonly #byKind: Record<ObjectKind, Map<string, KubeObject>> = {
    Namespace: new Map(),
    Service: new Map(),
    EndpointSlice: new Map(),
    Pod: new Map(),
    ServiceImport: new Map(),
    ServiceExport: new Map(),
  };
  readonly #listeners = new Set<(kind: ObjectKind, key: string) => void>();

  static of(objects: ClusterObjects): MutableSource {
    const source = new MutableSource();
    for (const o of objects.namespaces) source.put('Namespace', o);
    for (const o of objects.services) source.put('Service', o);
    for (const o of objects.endpointSlices) source.put('EndpointSlice', o);
    for (const o of objects.pods) source.put('Pod', o);
    for (const o of objects.serviceImports ?? []) source.put('ServiceImport', o);
    for (const o of objects.serviceExports ?? []) source.put('ServiceExport', o);
    return source;
  }

  objects(kind: ObjectKind): ReadonlyMap<string, KubeObject> {
    return this.#byKind[kind];
  }

  onChange(listener: (kind: ObjectKind, key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  put(kind: ObjectKind, obj: KubeObject): void {
    const key = objectKey(obj);
    this.#byKind[kind].set(key, obj);
    this.#emit(kind, key);
  }

  remove(kind: ObjectKind, key: string): void {
    if (this.#byKind[kind].delete(key)) this.#emit(kind, key);
  }

  snapshot(): ClusterObjects {
    const list = <T>(kind: ObjectKind) => [...this.#byKind[kind].values()] as T[];
    const serviceImports = list<ServiceImport>('ServiceImport');
    const serviceExports = list<ServiceExport>('ServiceExport');
    return {
      ...(serviceImports.length > 0 && { serviceImports }),
      ...(serviceExports.length > 0 && { serviceExports }),
      namespaces: list('Namespace'),
      services: list('Service'),
      endpointSlices: list('EndpointSlice'),
      pods: list('Pod'),
    };
  }

  #emit(kind: ObjectKind, key: string): void {
    for (const l of this.#listeners) l(kind, key);
  }
}
