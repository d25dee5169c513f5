// Many clusters, one table: a test API server and a live sync (sync/main.ts) per cluster, all
// writing one DynamoDB table (docs/architecture.md §5.3), each seeded before its sync starts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEntry, type EntryProcess } from './entry-process.ts';
import { KubeApiServer } from './kube-api-server.ts';
import { testAwsEnv } from './sync-env.ts';

export class ClusterSyncs<C extends string> {
  readonly apis = new Map<C, KubeApiServer>();
  readonly syncs = new Map<C, EntryProcess>();

  /**
   * Starts a server and a sync per cluster (its id the cluster's name) and resolves once every
   * sync has published its first full reconcile. `seed` fills a cluster's API server first;
   * `args` are more sync flags.
   */
  static async start<C extends string>(o: {
    clusters: readonly C[];
    table: string;
    endpoint: string;
    seed: (cluster: C, api: KubeApiServer) => void;
    args?: string[];
  }): Promise<ClusterSyncs<C>> {
    const dir = mkdtempSync(join(tmpdir(), 'edge-dns-cluster-syncs-'));
    const started = new ClusterSyncs<C>();
    for (const cluster of o.clusters) {
      const api = await KubeApiServer.start();
      started.apis.set(cluster, api);
      o.seed(cluster, api);
      const kubeconfig = join(dir, `${cluster}.kubeconfig`);
      api.writeKubeconfig(kubeconfig);
      started.syncs.set(
        cluster,
        startEntry(
          'sync/main.ts',
          [
            ...['--cluster-id', cluster, '--table', o.table, '--region', 'us-east-1'],
            ...['--dynamodb-endpoint', o.endpoint, '--kubeconfig', kubeconfig],
            ...['--lease-namespace', 'default', '--identity', `${cluster}-0`],
            ...(o.args ?? []),
          ],
          { env: testAwsEnv() },
        ),
      );
    }
    // Under tsx on a loaded machine, start-up alone can take a while: a guard, not a measure.
    await Promise.all(
      [...started.syncs.values()].map((p) =>
        p.waitFor(/: full reconcile: /, { timeoutMs: 120_000 }),
      ),
    );
    return started;
  }

  /** Changes a cluster's objects and resolves once its sync has deleted items for it. */
  async deleting(cluster: C, change: (api: KubeApiServer) => void): Promise<void> {
    const sync = this.syncs.get(cluster)!;
    const from = sync.mark();
    change(this.apis.get(cluster)!);
    await sync.waitFor(/ items put, [1-9]\d* deleted/, { from, timeoutMs: 30_000 });
  }

  async close(): Promise<void> {
    await Promise.all([...this.syncs.values()].map((p) => p.stop()));
    await Promise.all([...this.apis.values()].map((a) => a.close()));
  }
}
