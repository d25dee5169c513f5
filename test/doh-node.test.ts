// The shared DoH case table against the container's DoH listener over real HTTPS and HTTP/2 (the
// Node runtime): the sample cluster (and the large headless service) from snapshots, and a second
// container on a live source that never lists (an API server that refuses), for SERVFAIL.
import { test } from 'node:test';
import { closedPort } from './support/closed-port.ts';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { http2Fetcher } from './support/http2-fetcher.ts';
import { runDohCases, ORIGIN, type Fetcher } from './doh/run-cases.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tls = [
  '--doh',
  '127.0.0.1:0',
  '--doh-cert',
  'test/fixtures/tls/localhost.crt',
  '--doh-key',
  'test/fixtures/tls/localhost.key',
];
const DOH_LINE = /^edge-dns DoH on (https:\/\/\S+)\/dns-query/;

async function dohOf(p: EntryProcess): Promise<string> {
  return DOH_LINE.exec(await p.waitFor(DOH_LINE, { stream: 'stdout', timeoutMs: 60_000 }))![1]!;
}

/** Rewrites the table's origin to the server's, over one HTTP/2 session. */
function fetcherFor(base: string): { fetch: Fetcher; close(): void } {
  const h2 = http2Fetcher(base);
  return {
    fetch: (r) => h2.fetch(new Request(r.url.replace(ORIGIN, base), r)),
    close: () => h2.close(),
  };
}

test('the DoH case table over HTTPS/HTTP2 against the container', async (t) => {
  const served = startEntry('functions/entry/container.ts', [
    '--snapshot',
    SAMPLE_CLUSTER,
    '--snapshot',
    'test/fixtures/large-headless.json',
    '--dns',
    '127.0.0.1:0',
    ...tls,
  ]);
  // A kubeconfig whose API server refuses connections: the store is never synced -> SERVFAIL.
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-doh-node-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const port = await closedPort();
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:${port}'}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`,
  );
  const unsynced = startEntry('functions/entry/container.ts', [
    '--kubeconfig',
    kubeconfig,
    '--dns',
    '127.0.0.1:0',
    ...tls,
  ]);
  const [ok, broken] = [fetcherFor(await dohOf(served)), fetcherFor(await dohOf(unsynced))];
  try {
    await runDohCases(t, ok.fetch, { servfail: broken.fetch });
  } finally {
    ok.close();
    broken.close();
    await Promise.all([served.stop(), unsynced.stop()]);
  }
});
