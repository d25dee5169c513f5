// What ships: the esbuild bundles of the container (entry + its worker-thread loader) start
// without tsx and answer over UDP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';

test('the container bundle serves the sample cluster', async () => {
  const dist = mkdtempSync(join(tmpdir(), 'edge-dns-dist-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const child = spawn(process.execPath, [join(dist, 'container/container.mjs'), '--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
