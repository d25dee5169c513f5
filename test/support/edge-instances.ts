// Both edges, BUILT as they ship, with the same variables: a Lambda handler (a fresh import of the
// bundle, function-url events) and the Worker in workerd (miniflare, wrangler.toml's
// compatibility date and flags), each as a fetch of DoH requests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { REPO_ROOT } from './container.ts';
import { buildLambdaBundle, lambdaInstances, setLambdaCredentials } from './lambda-bundle.ts';
import { lambdaFetcher } from './lambda-events.ts';

export type EdgeFetch = (request: Request) => Promise<Response>;

export interface EdgeInstances {
  edges: [name: string, fetch: EdgeFetch][];
  close(): Promise<void>;
}

/** `env`: the EDGE_DNS_* variables; the region and test credentials are added for each runtime. */
export async function startEdges(env: Record<string, string>): Promise<EdgeInstances> {
  setLambdaCredentials();
  const handler = await lambdaInstances(buildLambdaBundle())({ ...env, AWS_REGION: 'us-east-1' });
  const dist = mkdtempSync(join(tmpdir(), 'edge-dns-workers-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, 'workers'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: join(dist, 'workers/workers.mjs'),
    modulesRoot: join(dist, 'workers'),
    compatibilityDate: '2026-04-01', // infra/cloudflare/wrangler.toml
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...env,
      EDGE_DNS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  });
  await mf.ready;
  const worker: EdgeFetch = async (request) => {
    const res = await mf.dispatchFetch(request.url, { headers: [...request.headers] });
    return new Response(await res.arrayBuffer(), { status: res.status });
  };
  return {
    edges: [
      ['lambda', lambdaFetcher(handler, 'function-url')],
      ['workers', worker],
    ],
    close: () => mf.dispose(),
  };
}
