// CoreDNS `bind` with several addresses (node-local-dns binds its link-local address and the
// cluster DNS address): each is served, UDP and TCP, and a reload that drops one lets it go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp } from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';

const NAME = 'kubernetes.default.svc.cluster.local';
const address = (r: { answers?: unknown[] }) =>
  (r.answers?.[0] as { data?: string } | undefined)?.data;

test('bind ADDRESS ADDRESS: both addresses answer over UDP and TCP; a reload drops one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-bind-'));
  const corefile = join(dir, 'Corefile');
  const write = (bind: string) =>
    writeFileSync(
      corefile,
      `.:0 {\n  bind ${bind}\n  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, SAMPLE_CLUSTER)}\n  }\n}\n`,
    );
  write('127.0.0.1 127.0.0.2');
  const server = startEntry('functions/entry/container.ts', ['--corefile', corefile]);
  try {
    const ready = await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 });
    const port = Number(/udp:\/\/127\.0\.0\.1:(\d+)/.exec(ready)![1]);
    for (const host of ['127.0.0.1', '127.0.0.2']) {
      const udp = await queryUdp({ host, port }, makeQuery(NAME, 'A'), 2000);
      assert.equal(address(udp), '10.96.0.1', `UDP ${host}`);
      const [tcp] = await queryTcp({ host, port }, [makeQuery(NAME, 'A')]);
      assert.equal(address(tcp!), '10.96.0.1', `TCP ${host}`);
    }
    const from = server.mark();
    write('127.0.0.1');
    process.kill(server.pid, 'SIGHUP');
    await server.waitFor(/^edge-dns reloaded .*dns no longer on 127\.0\.0\.2/, { from });
    await assert.rejects(queryUdp({ host: '127.0.0.2', port }, makeQuery(NAME, 'A'), 300));
    const still = await queryUdp({ host: '127.0.0.1', port }, makeQuery(NAME, 'A'), 2000);
    assert.equal(address(still), '10.96.0.1');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
