// The watch source of the sync and of the in-cluster server: one informer per kind the builder
// reads (Namespaces, Services, EndpointSlices, Pods when `pods verified` needs them, ServiceImports
// with `multicluster` zones, ServiceExports with an export zone), narrowed objects in memory,
// change notifications that only mark work (docs/architecture.md §8.9), and "synced" once every
// kind finished its first full list.
import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import {
  endpointSliceSchema,
  namespaceSchema,
  podSchema,
  serviceExportSchema,
  serviceImportSchema,
  serviceSchema,
  type ClusterObjects,
  type EndpointSlice,
  type Namespace,
  type Pod,
  type Service,
  type ServiceExport,
  type ServiceImport,
} from '../kube/objects.ts';
import { defaultBackoffMs, type BackoffMs } from '../retry/backoff.ts';
import { KindInformer, type KindStatus, type WatchedKind } from './kind-informer.ts';

export type { WatchedKind };

export interface ClusterWatchOptions {
  /** From a kubeconfig file (`loadFromFile`) or in-cluster credentials (`loadFromCluster`). */
  kubeConfig: KubeConfig;
  /** Watch Pods: only when `pods verified` or `endpoint_pod_names` need them. */
  pods: boolean;
  /** Watch ServiceImports (a CRD: while not installed, none; kind-informer.ts `optional`). */
  serviceImports?: boolean;
  /** Watch ServiceExports (a CRD, optional as ServiceImports are). */
  serviceExports?: boolean;
  /** One line per problem or restart (default: stderr). */
  log?: (line: string) => void;
  /** Restart delays after errors (default 200 ms doubling up to 1 s). */
  backoffMs?: BackoffMs;
  /** Dead-watch guard: a stream with no event or bookmark for this long is restarted (default 5 min). */
  idleTimeoutMs?: number;
  /** Items per LIST page (default 500). */
  pageSize?: number;
}

/** The narrowed object type of each kind. */
export interface WatchedObjects {
  Namespace: Namespace;
  Service: Service;
  EndpointSlice: EndpointSlice;
  Pod: Pod;
  ServiceImport: ServiceImport;
  ServiceExport: ServiceExport;
}

const KINDS: {
  [K in WatchedKind]: { path: string; namespaced: boolean; schema: z.ZodType<WatchedObjects[K]> };
} = {
  Namespace: { path: '/api/v1/namespaces', namespaced: false, schema: namespaceSchema },
  Service: { path: '/api/v1/services', namespaced: true, schema: serviceSchema },
  EndpointSlice: {
    path: '/apis/discovery.k8s.io/v1/endpointslices',
    namespaced: true,
    schema: endpointSliceSchema,
  },
  Pod: { path: '/api/v1/pods', namespaced: true, schema: podSchema },
  ServiceImport: {
    path: '/apis/multicluster.x-k8s.io/v1alpha1/serviceimports',
    namespaced: true,
    schema: serviceImportSchema,
  },
  ServiceExport: {
    path: '/apis/multicluster.x-k8s.io/v1alpha1/serviceexports',
    namespaced: true,
    schema: serviceExportSchema,
  },
};

export type WatchStatus = KindStatus & { watched: boolean };

export class ClusterWatch {
  /** Resolves once every watched kind completed its first full list (pending forever if stopped before). */
  readonly synced: Promise<void>;
  readonly #informers: { [K in WatchedKind]?: KindInformer<WatchedObjects[K]> } = {};
  readonly #listeners = new Set<(kind: WatchedKind, key: string) => void>();
  readonly #log: (line: string) => void;
  #syncedNow = false;

  constructor(options: ClusterWatchOptions) {
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    const kinds: WatchedKind[] = ['Namespace', 'Service', 'EndpointSlice'];
    if (options.pods) kinds.push('Pod');
    if (options.serviceImports) kinds.push('ServiceImport');
    if (options.serviceExports) kinds.push('ServiceExport');
    for (const kind of kinds) this.#add(kind, options);
    this.synced = Promise.all(kinds.map((k) => this.#informers[k]!.firstList)).then(() => {
      this.#syncedNow = true;
    });
  }

  start(): void {
    for (const informer of Object.values(this.#informers)) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.#informers).map((informer) => informer.stop()));
  }

  isSynced(): boolean {
    return this.#syncedNow;
  }

  /** Current narrowed objects of one kind, keyed `namespace/name` (Namespace: `name`). */
  objects<K extends WatchedKind>(kind: K): ReadonlyMap<string, WatchedObjects[K]> {
    return (
      (this.#informers[kind] as KindInformer<WatchedObjects[K]> | undefined)?.objects ?? new Map()
    );
  }

  snapshot(): ClusterObjects {
    return {
      namespaces: [...this.objects('Namespace').values()],
      services: [...this.objects('Service').values()],
      endpointSlices: [...this.objects('EndpointSlice').values()],
      pods: [...this.objects('Pod').values()],
      ...(this.#informers.ServiceImport && {
        serviceImports: [...this.objects('ServiceImport').values()],
      }),
      ...(this.#informers.ServiceExport && {
        serviceExports: [...this.objects('ServiceExport').values()],
      }),
    };
  }

  /** Called for every add/update/delete, including the differences a re-list finds. Marks work only. */
  onChange(listener: (kind: WatchedKind, key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Per kind: whether its last list succeeded, whether its watch stream is open, the last error. */
  status(): Record<WatchedKind, WatchStatus> {
    const of = (kind: WatchedKind): WatchStatus => {
      const informer = this.#informers[kind];
      const current = informer?.current();
      // An absent CRD is not a stream that is down: nothing is watched until it is installed.
      return current
        ? { watched: !current.absent, ...current }
        : { watched: false, listed: false, connected: false };
    };
    return {
      Namespace: of('Namespace'),
      Service: of('Service'),
      EndpointSlice: of('EndpointSlice'),
      Pod: of('Pod'),
      ServiceImport: of('ServiceImport'),
      ServiceExport: of('ServiceExport'),
    };
  }

  #add<K extends WatchedKind>(kind: K, options: ClusterWatchOptions): void {
    const spec = KINDS[kind];
    const informer = new KindInformer<WatchedObjects[K]>({
      kind,
      path: spec.path,
      namespaced: spec.namespaced,
      schema: spec.schema,
      kubeConfig: options.kubeConfig,
      log: this.#log,
      backoffMs: options.backoffMs ?? defaultBackoffMs,
      idleTimeoutMs: options.idleTimeoutMs ?? 5 * 60_000,
      pageSize: options.pageSize ?? 500,
      changed: (key) => this.#notify(kind, key),
      optional: kind === 'ServiceImport' || kind === 'ServiceExport',
    });
    (this.#informers as Record<K, KindInformer<WatchedObjects[K]>>)[kind] = informer;
  }

  #notify(kind: WatchedKind, key: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(kind, key);
      } catch (error) {
        this.#log(`watch ${kind}: a change listener failed on ${key}: ${String(error)}`);
      }
    }
  }
}
