// Sync benchmark (`npm run bench sync`): the sync bundle publishing a 10k-service cluster from the
// test Kubernetes API server into dynalite, beside dynalite's own BatchWriteItem rate for the same
// items. Flags: --services N --namespaces M --endpoints AVG (per service) --changes N --keep.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../functions/store/dynamodb/reader.ts';
import { sdkReads } from '../functions/store/dynamodb/sdk-reads.ts';
import { encodeNode } from '../functions/store/dynamodb/codec.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { parseSnapshot, emptyObjects } from '../sync/snapshot/parse.ts';
import { startDynalite } from '../test/support/dynalite.ts';
import { KubeApiServer, type KubeKind } from '../test/support/kube-api-server.ts';
import { generateCluster } from './generate-cluster.ts';
import { killAll, memory, spawnTracked, stop } from './proc.ts';
import { percentiles } from './dnsperf.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    services: { type: 'string' },
    namespaces: { type: 'string' },
    endpoints: { type: 'string' },
    changes: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const services = Number(values.services ?? 10_000);
const namespaces = Number(values.namespaces ?? 100);
const endpointsPerService = Number(values.endpoints ?? 5);
const changes = Number(values.changes ?? 200);
const cluster = 'bench';
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-bench-sync-'));
const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), join(dir, 'dist')], {
  cwd: root,
  encoding: 'utf8',
});
if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);

const { list } = generateCluster({ services, namespaces, endpointsPerService });
const items = list.items.filter((i) => i.kind !== 'Pod'); // pods disabled: the sync does not read them
const objects = emptyObjects();
parseSnapshot(JSON.stringify({ ...list, items }), 'generated', objects);
const endpointCount = objects.endpointSlices
  .filter((s) => s.addressType === 'IPv4')
  .reduce((n, s) => n + s.endpoints.length, 0);
const desired = buildCluster(objects, defaultBuildOptions);
console.log(
  `cluster: ${objects.services.length} services, ${endpointCount} endpoints (IPv4), ${objects.endpointSlices.length} slices in ${namespaces} namespaces -> ${desired.size} owner names`,
);

// 1. The baseline: dynalite alone writing the same items, BatchWriteItem by 25, 4 in flight (the sync's setting).
const raw = await startDynalite({ maxAttempts: 3 });
const requests: WriteRequest[] = [...desired.values()].flatMap((n) => {
  const e = encodeNode(n, cluster, 1);
  return [...e.parts, e.head].map((Item) => ({ PutRequest: { Item } }));
});
const rawStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (next < requests.length) {
      let batch = requests.slice(next, (next += 25));
      while (batch.length > 0) {
        const out = await raw.client.send(
          new BatchWriteItemCommand({ RequestItems: { [raw.table]: batch } }),
        );
        batch = out.UnprocessedItems?.[raw.table] ?? [];
      }
    }
  }),
);
const rawSeconds = (performance.now() - rawStarted) / 1000;
await raw.close();
console.log(
  `dynalite alone: ${requests.length} items in ${rawSeconds.toFixed(1)} s (${Math.round(requests.length / rawSeconds)} items/s)`,
);

// 2. The sync: a real process, the real client-node against the test API server, into dynalite.
const api = await KubeApiServer.start();
for (const item of items) api.apply(item.kind as KubeKind, item);
const kubeconfig = join(dir, 'kubeconfig.yaml');
api.writeKubeconfig(kubeconfig);
const db = await startDynalite({ maxAttempts: 3 });
// The child's SDK reads credentials from the environment; dynalite accepts any.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
const started = performance.now();
// The image's runtime settings (infra/sync/Dockerfile): one malloc arena, a capped old space.
process.env.MALLOC_ARENA_MAX = '1';
const child = spawnTracked(process.execPath, [
  ...(process.env.SYNC_NODE_FLAGS ?? '--max-old-space-size=192 --max-semi-space-size=8')
    .split(' ')
    .filter(Boolean),
  join(dir, 'dist/sync/sync.mjs'),
  '--kubeconfig',
  kubeconfig,
  '--cluster-id',
  cluster,
  '--table',
  db.table,
  '--region',
  'us-east-1',
  '--dynamodb-endpoint',
  db.endpoint,
  '--lease-namespace',
  'default',
  '--identity',
  'bench',
  '--resync-seconds',
  '0',
]);
const lines = createInterface({ input: child.stderr! });
const firstRound = await new Promise<string>((resolve, reject) => {
  lines.on('line', (line) => {
    if (/full reconcile:/.test(line)) resolve(line);
  });
  child.once('exit', (code) => reject(new Error(`sync exited (${code}) before publishing`)));
});
const publishSeconds = (performance.now() - started) / 1000;
console.log(`sync: ${firstRound}`);

// 3. Change -> readable: a ClusterIP service's address changes; poll the reader until it answers it.
const reader = new DynamoDbStore({ client: sdkReads(db.client), table: db.table, cluster });
const targets = objects.services
  .filter((s) => s.spec.clusterIP && s.spec.clusterIP !== 'None' && s.spec.type !== 'ExternalName')
  .slice(0, changes);
const latencies: number[] = [];
for (const [i, svc] of targets.entries()) {
  const item = items.find(
    (x) =>
      x.kind === 'Service' &&
      (x.metadata as { name: string }).name === svc.metadata.name &&
      (x.metadata as { namespace: string }).namespace === svc.metadata.namespace,
  )!;
  const ip = `10.200.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  const spec = { ...(item.spec as object), clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'] };
  const name = `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`;
  const t0 = performance.now();
  api.apply('Service', { ...item, spec });
  for (;;) {
    const node = await reader.lookup(name);
    const a = node?.sets.find((s) => s.type === 'A');
    if (a && (a.data as string[]).includes(ip)) break;
  }
  latencies.push(performance.now() - t0);
}
const peak = memory(child.pid!).hwm;
await stop(child);
await db.close();
await api.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const [p50 = NaN, p99 = NaN] = percentiles(latencies, [50, 99]);
const rows: [string, string, string][] = [
  [
    'initial publish (process start -> all written)',
    `${publishSeconds.toFixed(1)} s`,
    `< 60 s, or < 1.5 x dynalite alone (${(1.5 * rawSeconds).toFixed(1)} s)`,
  ],
  ['items written', String(requests.length), ''],
  ['dynalite alone, same items', `${rawSeconds.toFixed(1)} s`, ''],
  [`change -> readable, median of ${latencies.length}`, `${p50.toFixed(1)} ms`, ''],
  [`change -> readable, p99 of ${latencies.length}`, `${p99.toFixed(1)} ms`, '< 1000 ms'],
  ['sync peak RSS (VmHWM)', `${peak.toFixed(0)} MB`, '< 300 MB'],
];
console.log('\n| figure | edge-dns sync | floor |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
const verdict =
  (publishSeconds < 60 || publishSeconds < 1.5 * rawSeconds) && p99 < 1000 && peak < 300;
console.log(`\nfloors: ${verdict ? 'met' : 'NOT met'}`);
