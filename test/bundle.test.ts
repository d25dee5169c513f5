// What ships: the esbuild bundles of the container (entry + its worker-thread loader) start
// without tsx and answer over UDP; the sync bundle publishes a snapshot to DynamoDB (dynalite).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startDynalite } from './support/dynalite.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { buildCluster } from '../sync/build/cluster.ts';
import { defaultBuildOptions } from '../sync/build/options.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';

const dist = mkdtempSync(join(tmpdir(), 'edge-dns-dist-'));
before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});

test('the container bundle serves the sample cluster', async () => {  const child = spawn(process.execPath, [join(dist, 'container/container.mjs'), '--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ready = await new Promise<ReturnType<typeof parseReadyLine>>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => parseReadyLine(line) && resolve(parseReadyLine(line)));
      child.once('exit', (code) => reject(new Error(`bundle exited (${code}) before its ready line`)));
    });
    const reply = await queryUdp(ready!.udp, makeQuery('kubernetes.default.svc.cluster.local', 'A'));
    assert.equal(rcodeOf(reply), 'NOERROR');
    assert.deepEqual(reply.answers?.map((a) => (a as { data: unknown }).data), ['10.96.0.1']);
  } finally {
    child.kill('SIGTERM');
  }
});

test('the sync bundle publishes the sample cluster with --once', async () => {
  const db = await startDynalite();
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const args = [join(dist, 'sync/sync.mjs'), '--once', '--snapshot', SAMPLE_CLUSTER, '--cluster-id', 'ci', '--table', db.table, '--region', 'us-east-1', '--dynamodb-endpoint', db.endpoint];
    // Not spawnSync: dynalite answers from this process's event loop.
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const run = { status, stderr };
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /full reconcile: \d+ objects seen, \d+ units built, \d+ items put, 0 deleted in \d+ ms/);
    const owned = await new DynamoDbWriter({ client: db.client, table: db.table, cluster: 'ci' }).listOwned();
    const expected = buildCluster(readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]), defaultBuildOptions);
    assert.deepEqual([...owned.keys()].sort(), [...expected.keys()].sort());
  } finally {
    await db.close();
  }
});
