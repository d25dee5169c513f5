// A live sync (sync/main.ts) of the sample cluster on a test API server, writing dynalite through
// the proxy that stalls, fails or throttles DynamoDB calls on demand; stopped when the test ends.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startDynalite, type Dynalite } from './dynalite.ts';
import {
  startDynamoDbThrottleProxy,
  type DynamoDbThrottleProxy,
} from './dynamodb-throttle-proxy.ts';
import { startEntry, type EntryProcess } from './entry-process.ts';
import { KubeApiServer } from './kube-api-server.ts';
import { testAwsEnv } from './sync-env.ts';
import { Cluster } from './sync-harness.ts';

export interface ProxiedSync {
  db: Dynalite;
  proxy: DynamoDbThrottleProxy;
  cluster: Cluster;
  sync: EntryProcess;
}

/** `args`: more sync flags (the source, table, region, endpoint and Lease ones are given). */
export async function startProxiedSync(
  t: TestContext,
  clusterId: string,
  args: string[] = [],
): Promise<ProxiedSync> {
  const [db, api] = await Promise.all([startDynalite(), KubeApiServer.start()]);
  const proxy = await startDynamoDbThrottleProxy(db.endpoint);
  const cluster = new Cluster(api);
  cluster.seedSample();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'edge-dns-proxied-sync-')), 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const sync = startEntry(
    'sync/main.ts',
    [
      ...['--kubeconfig', kubeconfig, '--cluster-id', clusterId, '--table', db.table],
      ...['--region', 'us-east-1', '--dynamodb-endpoint', proxy.endpoint],
      ...['--lease-namespace', 'default', '--identity', 'only'],
      ...args,
    ],
    { env: testAwsEnv() },
  );
  t.after(async () => {
    await sync.stop();
    await proxy.close();
    await api.close();
    await db.close();
  });
  return { db, proxy, cluster, sync };
}
