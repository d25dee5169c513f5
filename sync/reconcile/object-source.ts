// Where the reconciler reads Kubernetes objects from: the watch (sync/watch) or a snapshot.
import {
  objectKey,
  type ClusterObjects,
  type EndpointSlice,
  type Namespace,
  type ObjectKind,
  type Pod,
  type Service,
  type ServiceExport,
  type ServiceImport,
} from '../kube/objects.ts';

export type KubeObject = Namespace | Service | EndpointSlice | Pod | ServiceImport | ServiceExport;

/**
 * Current narrowed objects per kind, keyed `namespace/name` (Namespaces: `name`), and a signal
 * that one of them changed. Listeners only mark work (docs/architecture.md §8.9): the reconciler
 * reads the object's current state when it runs, so a duplicated event is harmless.
 */
export interface ObjectSource {
  objects(kind: ObjectKind): ReadonlyMap<string, KubeObject>;
  onChange(listener: (kind: ObjectKind, key: string) => void): () => void;
}

/** A source that never changes: a snapshot dump (`--once`, `npm start`). */
export function staticSource(objects: ClusterObjects): ObjectSource {
  const byKind = {
    Namespace: new Map(objects.namespaces.map((o) => [objectKey(o), o])),
    Service: new Map(objects.services.map((o) => [objectKey(o), o])),
    EndpointSlice: new Map(objects.endpointSlices.map((o) => [objectKey(o), o])),
    Pod: new Map(objects.pods.map((o) => [objectKey(o), o])),
    ServiceImport: new Map((objects.serviceImports ?? []).map((o) => [objectKey(o), o])),
    ServiceExport: new Map((objects.serviceExports ?? []).map((o) => [objectKey(o), o])),
  } satisfies Record<ObjectKind, Map<string, KubeObject>>;
  return { objects: (kind) => byKind[kind], onChange: () => () => {} };
}
