// What the Lambda tests share (test/lambda.test.ts, test/lambda-metrics.test.ts): the BUILT bundle
// (scripts/build.mjs, as it ships), dynalite filled by the real sync (Reconciler + DynamoDbWriter)
// from snapshot files, the execution role's credentials in process.env, and a fresh import of the
// bundle per "instance", as a new Lambda execution environment would be.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentHash } from '../../functions/store/dynamodb/codec.ts';
import { defaultBuildOptions } from '../../sync/records/options.ts';
import { staticSource } from '../../sync/reconcile/object-source.ts';
import { Reconciler } from '../../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../../sync/snapshot/read.ts';
import { DynamoDbWriter } from '../../sync/write/dynamodb-writer.ts';
import { REPO_ROOT } from './container.ts';
import { startDynalite, type Dynalite } from './dynalite.ts';
import type { LambdaHandler } from './lambda-events.ts';

/** Builds the Lambda bundle into a temporary folder; returns the URL of lambda.mjs. */
export function buildLambdaBundle(): string {
  const dist = mkdtempSync(join(tmpdir(), 'edge-dns-lambda-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist, 'lambda'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  return pathToFileURL(join(dist, 'lambda/lambda.mjs')).href;
}

/** dynalite with `snapshots` (paths under the repository) published as `cluster` by the sync. */
export async function publishedTable(cluster: string, snapshots: string[]): Promise<Dynalite> {
  const db = await startDynalite();
  const published = await new Reconciler({
    source: staticSource(readSnapshots(snapshots.map((s) => join(REPO_ROOT, s)))),
    build: defaultBuildOptions,
    writer: new DynamoDbWriter({ client: db.client, table: db.table, cluster }),
    hash: contentHash,
    resyncMs: 0,
  }).start();
  assert.equal(published.failed, 0, 'the sync published everything');
  return db;
}

/**
 * The execution role's credentials, as Lambda puts them in the environment; the SDK reads them at
 * the first call, so they stay for the whole file.
 */
export function setLambdaCredentials(): void {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: 'test',
  });
  delete process.env.AWS_PROFILE;
}

/**
 * A function that imports `bundle` afresh (a new execution environment) with `env` as its
 * EDGE_DNS_* and AWS_REGION variables (undefined: unset), and returns its handler; process.env is
 * restored after the import.
 */
export function lambdaInstances(
  bundle: string,
): (env: Record<string, string | undefined>) => Promise<LambdaHandler> {
  let instances = 0;
  return async (env) => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env))
      if (k.startsWith('EDGE_DNS_') || k === 'AWS_REGION') delete process.env[k];
    for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
    try {
      // The bundle's exports, typed by hand: a helper never imports an entry (architecture.test.ts).
      const entry = (await import(`${bundle}?instance=${++instances}`)) as { handler: unknown };
      return entry.handler as LambdaHandler;
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  };
}
