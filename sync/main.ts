// The sync job: the Kubernetes API (or a snapshot, with --once) -> records -> DynamoDB, written
// only by the holder of the cluster's Lease.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KubeConfig } from '@kubernetes/client-node';
import { syncConfigFromArgs } from '../functions/config/sync-flags.ts';
import { splitHostPort } from '../functions/config/fields.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { serveProbes } from '../functions/health/probe-server.ts';
import { LiveSync } from './live/live-sync.ts';
import { Reconciler } from './reconcile/reconciler.ts';
import { staticSource } from './reconcile/object-source.ts';
import { readSnapshots } from './snapshot/read.ts';
import { LeaderElection } from './watch/leader-election.ts';
import { DynamoDbWriter } from './write/dynamodb-writer.ts';

const log = (line: string) => console.error(`edge-dns-sync: ${line}`);
const env = process.env;
try {
  const c = syncConfigFromArgs(process.argv.slice(2), (p) => readFileSync(p, 'utf8'), { region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION, leaseNamespace: env.POD_NAMESPACE, identity: env.POD_NAME ?? hostname() });
  const client = new DynamoDBClient({ region: c.dynamodb.region, endpoint: c.dynamodb.endpoint, maxAttempts: 3 });
  const writer = new DynamoDbWriter({ client, table: c.dynamodb.table, cluster: c.clusterId, log });
  const common = { build: c.kubernetes, writer, hash: contentHash, log, resyncMs: c.resyncSeconds * 1000 };
  if (c.once && c.snapshots.length > 0) {
    const r = await new Reconciler({ ...common, source: staticSource(readSnapshots(c.snapshots)), resyncMs: 0 }).start();
    process.exit(r.failed > 0 ? 1 : 0);
  }
  const kubeConfig = new KubeConfig();
  if (c.kubernetes.kubeconfig !== undefined) kubeConfig.loadFromFile(c.kubernetes.kubeconfig);
  else kubeConfig.loadFromCluster();
  const live = new LiveSync({ ...common, kubeConfig });
  if (c.once) {
    await live.start();
    const r = await live.publish();
    await live.stop();
    process.exit(r.failed > 0 ? 1 : 0);
  }
  const probes = c.health.listen ? await serveProbes(...(Object.values(splitHostPort(c.health.listen)) as [string, number]), live) : undefined;
  const lease = { ...c.lease, name: c.lease.name ?? `edge-dns-sync-${c.clusterId}` };
  const election = new LeaderElection({ kubeConfig, namespace: lease.namespace, name: lease.name, identity: lease.identity, leaseDurationSec: lease.durationSeconds, log });
  log(`watching ${live.server} for cluster ${c.clusterId}; writing ${c.dynamodb.table} while holding Lease ${lease.namespace}/${lease.name} as ${lease.identity}`);
  await live.start();
  void election.run({
    onStartedLeading: async (term: number) => {
      if (await writer.fence(lease.identity, term)) await live.publish();
      else log(`term ${term} is older than the table's fence: not writing`);
    },
    onStoppedLeading: () => void live.stopPublishing(),
  });
  const stop = () => void Promise.all([election.stop(), live.stop(), probes?.close()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  log((error as Error).message);
  process.exit(2);
}
