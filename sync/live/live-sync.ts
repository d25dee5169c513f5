// The watch feeding the reconciler: what the sync job and the container on live data share.
// The watch runs from start (a standby replica stays warm); publishing starts when this process
// may write (the Lease holder, or the container at once) and stops when it may not.
import type { KubeConfig } from '@kubernetes/client-node';
import type { NameNode } from '../../functions/core/record.ts';
import type { BuildOptions } from '../records/options.ts';
import {
  Reconciler,
  type ExtraNodes,
  type ReconcilerStats,
  type RoundReport,
} from '../reconcile/reconciler.ts';
import { ClusterWatch } from '../watch/cluster-watch.ts';
import type { StoreWriter } from '../write/store-writer.ts';
import { ProgrammingLatency, type ServiceKind } from './programming-latency.ts';

export interface LiveSyncOptions {
  kubeConfig: KubeConfig;
  build: BuildOptions;
  writer: StoreWriter;
  hash: (node: NameNode) => string;
  log: (line: string) => void;
  resyncMs?: number;
  /** Round figures and change latencies, for the sync's metrics (optional). */
  stats?: ReconcilerStats;
  /**
   * Told when an EndpointSlice change of a headless Service has been published, with the seconds
   * since its trigger time (programming-latency.ts): the container's
   * coredns_kubernetes_dns_programming_duration_seconds.
   */
  programmed?: (kind: ServiceKind, seconds: number) => void;
  /** Record items published beside the cluster's nodes (sync/sources/). */
  extra?: ExtraNodes;
  /** Watch tuning (tests shorten these). */
  watch?: { idleTimeoutMs?: number; backoffMs?: { initial: number; max: number } };
}

export class LiveSync {
  readonly watch: ClusterWatch;
  readonly #o: LiveSyncOptions;
  #reconciler: Reconciler | undefined;
  #unwatch: (() => void) | undefined;

  constructor(options: LiveSyncOptions) {
    this.#o = options;
    this.watch = new ClusterWatch({
      kubeConfig: options.kubeConfig,
      // Pods are read only for `pods verified` (endpoint_pod_names reads the slices' targetRef).
      pods: options.build.pods === 'verified',
      serviceImports: (options.build.multicluster?.length ?? 0) > 0,
      serviceExports: options.build.export !== undefined,
      log: options.log,
      ...options.watch,
    });
  }

  /** Starts the watch; resolves once the first full list of every kind is done. */
  async start(): Promise<void> {
    this.watch.start();
    await this.watch.synced;
  }

  /** Starts writing; resolves after the first full round (everything published). */
  async publish(): Promise<RoundReport> {
    await this.stopPublishing();
    const o = this.#o;
    const stats = this.#stats();
    this.#reconciler = new Reconciler({
      source: this.watch,
      build: o.build,
      writer: o.writer,
      hash: o.hash,
      log: o.log,
      resyncMs: o.resyncMs,
      ...(stats && { stats }),
      ...(o.extra && { extra: o.extra }),
    });
    return this.#reconciler.start();
  }

  async stopPublishing(): Promise<void> {
    const r = this.#reconciler;
    this.#reconciler = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    await r?.stop();
  }

  /** The reconciler's stats: the caller's, and the programming latency when it is asked for. */
  #stats(): ReconcilerStats | undefined {
    const o = this.#o;
    if (!o.programmed) return o.stats;
    // Changes seen from now on, as the reconciler about to subscribe sees them.
    const latency = new ProgrammingLatency({
      source: this.watch,
      observe: o.programmed,
      log: o.log,
    });
    this.#unwatch = this.watch.onChange((kind, key) => latency.changed(kind, key));
    return {
      round: (report, full) => o.stats?.round(report, full),
      published: (ms, id) => {
        o.stats?.published(ms, id);
        latency.published(id);
      },
    };
  }

  /** Resolves when every change seen so far is published. */
  settled(): Promise<void> {
    return this.#reconciler?.settled() ?? Promise.resolve();
  }

  /** The API server watched, for log lines. */
  get server(): string {
    return this.#o.kubeConfig.getCurrentCluster()?.server ?? 'the Kubernetes API';
  }

  get reconciler(): Reconciler | undefined {
    return this.#reconciler;
  }

  /** For /ready: why the records cannot be trusted yet, or undefined. */
  notReady(): string | undefined {
    if (!this.watch.isSynced()) {
      const errors = Object.entries(this.watch.status())
        .filter(([, s]) => s.lastError)
        .map(([kind, s]) => `${kind}: ${s.lastError}`);
      return `first list of the Kubernetes API not done${errors.length ? ` (${errors.join('; ')})` : ''}`;
    }
    const last = this.#reconciler?.last;
    if (last && last.failed > 0 && last.put + last.deleted === 0)
      return `store not reachable: ${last.failed} writes failing`;
    return undefined;
  }

  async stop(): Promise<void> {
    await this.stopPublishing();
    await this.watch.stop();
  }
}
