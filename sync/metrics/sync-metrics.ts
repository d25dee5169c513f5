// The sync's Prometheus series (sync/README.md "Metrics"), served on `--metrics HOST:PORT` by
// common/metrics/metrics-server.ts. The parts stay free of prom-client: the reconciler, the
// writer and the leader election take plain stats callbacks, which this class turns into series
// (docs/architecture.md §7, process plugins).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReconcilerStats, RoundReport } from '../reconcile/reconciler.ts';
import type { WriteStats } from '../write/batch-write.ts';

/** Rounds take milliseconds (a few changed names) to minutes (a full list of a large cluster). */
const ROUND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** CoreDNS's coredns_kubernetes_dns_programming_duration_seconds: ExponentialBuckets(0.001, 2, 20). */
const LATENCY_BUCKETS = Array.from({ length: 20 }, (_, i) => 0.001 * 2 ** i);

export interface SyncMetricsOptions {
  /** Milliseconds since the epoch, for the last-success gauge (Date.now by default). */
  now?: () => number;
  /** process_* and nodejs_* series (default true). */
  processDefaults?: boolean;
}

export class SyncMetrics {
  readonly registry = new Registry();
  /** For the reconciler (LiveSync's and --once's `stats`). */
  readonly reconciler: ReconcilerStats;
  /** For the DynamoDB writer (`stats`) and countThrottles (write/throttle-count.ts). */
  readonly writes: WriteStats & { throttled(operation: string): void };
  /** For the leader election (`stats`). */
  readonly leader: { leading(leader: boolean): void };

  constructor(options: SyncMetricsOptions = {}) {
    const registers = [this.registry];
    const now = options.now ?? Date.now;
    if (options.processDefaults ?? true) collectDefaultMetrics({ register: this.registry });
    const rounds = new Histogram({
      name: 'edge_dns_sync_round_duration_seconds',
      help: 'Reconcile rounds: list what the table holds (full), rebuild, plan and write.',
      labelNames: ['kind'],
      buckets: ROUND_BUCKETS,
      registers,
    });
    const put = new Counter({
      name: 'edge_dns_sync_items_put_total',
      help: 'Owner names written (put) to the store.',
      registers,
    });
    const deleted = new Counter({
      name: 'edge_dns_sync_items_deleted_total',
      help: 'Owner names deleted from the store.',
      registers,
    });
    const failed = new Counter({
      name: 'edge_dns_sync_items_failed_total',
      help: "Owner names whose write failed after the writer's retries (retried by a later round).",
      registers,
    });
    const lastSuccess = new Gauge({
      name: 'edge_dns_sync_last_successful_round_timestamp_seconds',
      help: 'Unix time of the end of the last round in which every write succeeded.',
      registers,
    });
    const latency = new Histogram({
      name: 'edge_dns_sync_change_to_published_seconds',
      help: 'From the watch event that changed an object to the end of the round that wrote its names.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const retries = new Counter({
      name: 'edge_dns_sync_write_retries_total',
      help: 'BatchWriteItem calls retried by the writer: items handed back (unprocessed) or the call failed (error).',
      labelNames: ['reason'],
      registers,
    });
    const throttles = new Counter({
      name: 'edge_dns_sync_write_throttles_total',
      help: "DynamoDB calls throttled, every try counted (the SDK's retries included).",
      labelNames: ['operation'],
      registers,
    });
    const leader = new Gauge({
      name: 'edge_dns_sync_leader',
      help: '1 while this replica holds the Lease (and may write), else 0.',
      registers,
    });
    leader.set(0);
    // Both reasons and kinds from the start, so rate() sees a series before its first increment.
    for (const reason of ['unprocessed', 'error']) retries.inc({ reason }, 0);
    for (const kind of ['full', 'incremental']) rounds.zero({ kind });

    this.reconciler = {
      round(report: RoundReport, full: boolean) {
        rounds.labels(full ? 'full' : 'incremental').observe(report.ms / 1000);
        put.inc(report.put);
        deleted.inc(report.deleted);
        failed.inc(report.failed);
        if (report.failed === 0) lastSuccess.set(now() / 1000);
      },
      published: (ms) => latency.observe(ms / 1000),
    };
    this.writes = {
      retried: (reason) => retries.labels(reason).inc(),
      throttled: (operation) => throttles.labels(operation).inc(),
    };
    this.leader = { leading: (on) => leader.set(on ? 1 : 0) };
  }
}
