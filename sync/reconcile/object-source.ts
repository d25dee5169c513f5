// Where the reconciler reads Kubernetes objects from: the watch (sync/watch) or a snapshot.
import type {
  ClusterObjects,
  EndpointSlice,
  Namespace,
  ObjectKind,
  Pod,
  Service,
} from '../kube/objects.ts';

export type KubeObject = Namespace | Service | EndpointSlice | Pod;

/**
 * Current narrowed objects per kind, keyed `namespace/name` (Namespaces: `name`), and a signal
 * that one of them changed. Listeners only mark work (design.md convention 5): the reconciler
 * reads the object's current state when it runs, so a duplicated event is harmless.
 */
export interface ObjectSource {
  objects(kind: ObjectKind): ReadonlyMap<string, KubeObject>;
  onChange(listener: (kind: ObjectKind, key: string) => void): () => void;
}

export function objectKey(obj: KubeObject): string {
  const meta = obj.metadata as { name: string; namespace?: string };
  return meta.namespace === undefined ? meta.name : `${meta.namespace}/${meta.name}`;
}

/** A source that never changes: a snapshot dump (`--once`, `npm start`). */
export function staticSource(objects: ClusterObjects): ObjectSource {
  const byKind = {
    Namespace: new Map(objects.namespaces.map((o) => [objectKey(o), o])),
    Service: new Map(objects.services.map((o) => [objectKey(o), o])),
    EndpointSlice: new Map(objects.endpointSlices.map((o) => [objectKey(o), o])),
    Pod: new Map(objects.pods.map((o) => [objectKey(o), o])),
  } satisfies Record<ObjectKind, Map<string, KubeObject>>;
  return { objects: (kind) => byKind[kind], onChange: () => () => {} };
}
