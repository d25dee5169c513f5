// The sync job: the Kubernetes API (or a snapshot, with --once) -> records -> DynamoDB, written
// only by the holder of the cluster's Lease.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { syncCommandFromArgs } from './config/sync-flags.ts';
import { createsTableOnly, syncBuildOptions } from './config/sync-config.ts';
import { splitHostPort } from '../common/config/fields.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { serveProbes } from '../common/probes/probe-server.ts';
import { serveMetrics } from '../common/metrics/metrics-server.ts';
import { SyncMetrics } from './metrics/sync-metrics.ts';
import { LiveSync } from './live/live-sync.ts';
import { loadKubeConfig } from './live/kube-config.ts';
import { Reconciler } from './reconcile/reconciler.ts';
import { staticSource } from './reconcile/object-source.ts';
import { readSnapshots } from './snapshot/read.ts';
import { LeaderElection } from './watch/leader-election.ts';
import { DynamoDbWriter } from './write/dynamodb-writer.ts';
import { createTable } from './write/create-table.ts';
import { RecordSources } from './sources/record-sources.ts';
import { countThrottles } from './write/throttle-count.ts';
import { syncDynamoDbClient } from './write/dynamodb-client.ts';

const log = (line: string) => console.error(`edge-dns-sync: ${line}`);
const env = process.env;
// SIGTERM at any point, start-up included, closes what is open (releasing the Lease) and exits 0.
const closers: (() => unknown)[] = [];
const stop = () =>
  void Promise.allSettled(closers.map((close) => close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
/** `--once` gives up on a cluster whose first list does not complete in this long. */
const onceListTimeoutMs = 120_000;
try {
  const command = syncCommandFromArgs(process.argv.slice(2), (p) => readFileSync(p, 'utf8'), {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    leaseNamespace: env.POD_NAMESPACE,
    identity: env.POD_NAME ?? hostname(),
  });
  // --help, --version, --validate: print and exit 0; a bad configuration exits 2 below.
  if (command.action !== 'run') {
    console.log('text' in command ? command.text : 'ok');
    process.exit(0);
  }
  const c = command.config;
  const client = syncDynamoDbClient({
    region: c.dynamodb.region,
    endpoint: c.dynamodb.endpoint,
    timeoutMs: c.dynamodb.timeoutMs,
  });
  if (c.createTable) {
    await createTable(client, c.dynamodb.table, { log });
    if (createsTableOnly(c)) process.exit(0);
  }
  // Prometheus series (sync/metrics/): the parts report through plain stats callbacks.
  const metrics = c.metrics.listen ? new SyncMetrics() : undefined;
  if (metrics) {
    countThrottles(client, metrics.writes.throttled);
    const { host, port } = splitHostPort(c.metrics.listen!);
    const server = await serveMetrics(host, port, metrics.registry);
    closers.push(() => server.close());
    const a = server.address;
    log(`metrics on http://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}/metrics`);
  }
  const writer = new DynamoDbWriter({
    client,
    table: c.dynamodb.table,
    cluster: c.clusterId,
    log,
    ...(metrics && { stats: metrics.writes }),
  });
  // `file` zones and `hosts` sources (sync/sources/): read now, so a bad file stops start-up.
  const extra = c.corefile ? new RecordSources(c.corefile, log) : undefined;
  if (extra && !c.once) extra.start();
  closers.push(() => extra?.stop());
  const common = {
    build: syncBuildOptions(c),
    writer,
    hash: contentHash,
    log,
    resyncMs: c.resyncSeconds * 1000,
    ...(metrics && { stats: metrics.reconciler }),
    ...(extra && { extra }),
  };
  if (c.once && c.snapshots.length > 0) {
    const r = await new Reconciler({
      ...common,
      source: staticSource(readSnapshots(c.snapshots)),
      resyncMs: 0,
    }).start();
    process.exit(r.failed > 0 ? 1 : 0);
  }
  const kubeConfig = loadKubeConfig(c.kubernetes);
  const live = new LiveSync({ ...common, kubeConfig });
  closers.push(() => live.stop());
  if (c.once) {
    const timer = setTimeout(() => {
      log(
        `--once: no complete list after ${onceListTimeoutMs / 1000} s (${live.notReady()}); giving up`,
      );
      process.exit(1);
    }, onceListTimeoutMs);
    await live.start();
    clearTimeout(timer);
    const r = await live.publish();
    await live.stop();
    process.exit(r.failed > 0 ? 1 : 0);
  }
  const probes = c.health.listen
    ? await serveProbes(
        ...(Object.values(splitHostPort(c.health.listen)) as [string, number]),
        live,
      )
    : undefined;
  if (probes) closers.push(() => probes.close());
  if (probes)
    log(
      `probes on http://${probes.address.host.includes(':') ? `[${probes.address.host}]` : probes.address.host}:${probes.address.port}/health and /ready`,
    );
  const lease = { ...c.lease, name: c.lease.name ?? `edge-dns-sync-${c.clusterId}` };
  // client-go's defaults (lease 15 s, renew deadline 10 s, retry 2 s), scaled to the configured lease.
  const timing = {
    leaseDurationSec: lease.durationSeconds,
    renewDeadlineSec: (lease.durationSeconds * 2) / 3,
    retryPeriodSec: (lease.durationSeconds * 2) / 15,
  };
  const election = new LeaderElection({
    kubeConfig,
    namespace: lease.namespace,
    name: lease.name,
    identity: lease.identity,
    ...timing,
    log,
    ...(metrics && { stats: metrics.leader }),
  });
  closers.unshift(() => election.stop());
  log(
    `watching ${live.server} for cluster ${c.clusterId}; writing ${c.dynamodb.table} while holding Lease ${lease.namespace}/${lease.name} as ${lease.identity}`,
  );
  await live.start();
  void election.run({
    onStartedLeading: async (term: number) => {
      if (await writer.fence(lease.identity, term)) await live.publish();
      else log(`term ${term} is older than the table's fence: not writing`);
    },
    onStoppedLeading: () => void live.stopPublishing(),
  });
} catch (error) {
  log((error as Error).message);
  process.exit(2);
}
