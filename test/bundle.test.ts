// What ships: the esbuild bundles of the container (entry + its worker-thread loader) start
// without tsx and answer over UDP; the sync bundle publishes a snapshot to DynamoDB (dynalite);
// the Lambda bundle, imported by plain node as the nodejs22.x runtime does, from a folder without
// node_modules (the AWS SDK is bundled: it imports only node's own modules), answers a Function
// URL event from dynalite; the Lambda zip holds the bundle and its source map. The edge bundles
// are under their size budgets, docs/architecture.md §7 (the Workers bundle runs in workerd in
// test/workers.test.ts; test/lambda.test.ts runs the DoH case table through the Lambda bundle).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { inflateRawSync } from 'node:zlib';
import * as dnsPacket from 'dns-packet';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startDynalite } from './support/dynalite.ts';
import { fromResult, lambdaContext, toEvent } from './support/lambda-events.ts';
import { ORIGIN } from './doh/run-cases.ts';
import { contentHash } from '../functions/store/dynamodb/codec.ts';
import { DynamoDbWriter } from '../sync/write/dynamodb-writer.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { staticSource } from '../sync/reconcile/object-source.ts';
import { Reconciler } from '../sync/reconcile/reconciler.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';

const dist = mkdtempSync(join(tmpdir(), 'edge-dns-dist-'));
before(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', dist], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, built.stderr);
  assert.doesNotMatch(built.stdout, /OVER/, 'the build prints OVER for a bundle past its floor');
});

/** The size budgets (docs/architecture.md §7), in bytes of minified bundle. */
const FLOORS: Record<string, number> = {
  'lambda/lambda.mjs': 240_000,
  'workers/workers.mjs': 230_000,
};

test('bundle sizes: the edge bundles are under their floors', (t) => {
  for (const file of [
    'container/container.mjs',
    'container/container-loader.mjs',
    'sync/sync.mjs',
    'lambda/lambda.mjs',
    'lambda/lambda.zip',
    'workers/workers.mjs',
  ]) {
    const bytes = statSync(join(dist, file)).size;
    const floor = FLOORS[file];
    t.diagnostic(
      `${file}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)${floor ? `, floor ${floor / 1000} KB` : ''}`,
    );
    if (floor)
      assert.ok(
        bytes < floor,
        `${file}: ${bytes} bytes, over its budget of ${floor} (dist/meta/ says what weighs: https://esbuild.github.io/analyze/)`,
      );
  }
});

/** The modules a bundle leaves to the runtime (esbuild's metafile, which the build writes to meta/). */
function externalImports(file: string): string[] {
  const meta = JSON.parse(readFileSync(join(dist, 'meta', `${basename(file)}.json`), 'utf8')) as {
    outputs: Record<
      string,
      { entryPoint?: string; imports: { path: string; external?: boolean }[] }
    >;
  };
  const output = Object.values(meta.outputs).find((o) => o.entryPoint);
  assert.ok(output, `${file}: an output for the entry point`);
  return [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))];
}

test("the edge bundles import only their runtime's own modules", () => {
  const builtins = new Set(builtinModules);
  for (const [file, allowed] of [
    ['lambda/lambda.mjs', (p: string) => builtins.has(p.replace(/^node:/, ''))],
    ['workers/workers.mjs', (p: string) => p.startsWith('node:') || p.startsWith('cloudflare:')],
  ] as const) {
    const imports = externalImports(file);
    assert.deepEqual(
      imports.filter((p) => !allowed(p)),
      [],
      `${file} imports ${imports.join(', ')}`,
    );
  }
});

/** The files of a zip archive (PKWARE APPNOTE: end of central directory -> central directory -> data). */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.length - 22;
  assert.equal(archive.readUInt32LE(end), 0x06054b50, 'end of central directory record');
  const files = new Map<string, Buffer>();
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < archive.readUInt16LE(end + 10); i++) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50, 'central directory header');
    const [method, packed, nameLength, extra, comment, local] = [
      at + 10,
      at + 20,
      at + 28,
      at + 30,
      at + 32,
      at + 42,
    ].map((o, k) => (k === 1 || k === 5 ? archive.readUInt32LE(o) : archive.readUInt16LE(o)));
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength!);
    const dataAt =
      local! + 30 + archive.readUInt16LE(local! + 26) + archive.readUInt16LE(local! + 28);
    assert.equal(method, 8, `${name}: deflate`);
    files.set(name, inflateRawSync(archive.subarray(dataAt, dataAt + packed!)));
    at += 46 + nameLength! + extra! + comment!;
  }
  return files;
}

test('the Lambda zip holds the bundle and its source map at its root', () => {
  const files = unzip(readFileSync(join(dist, 'lambda/lambda.zip')));
  assert.deepEqual([...files.keys()], ['lambda.mjs', 'lambda.mjs.map']);
  assert.ok(files.get('lambda.mjs')!.equals(readFileSync(join(dist, 'lambda/lambda.mjs'))));
  assert.ok(files.get('lambda.mjs.map')!.equals(readFileSync(join(dist, 'lambda/lambda.mjs.map'))));
});

test('the Lambda bundle, alone in its folder, answers a Function URL event', async () => {
  const db = await startDynalite();
  try {
    const source = staticSource(readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]));
    const writer = new DynamoDbWriter({ client: db.client, table: db.table, cluster: 'ci' });
    const reconciler = new Reconciler({
      source,
      build: defaultBuildOptions,
      writer,
      hash: contentHash,
      resyncMs: 0,
    });
    assert.equal((await reconciler.start()).failed, 0);
    await reconciler.stop();

    const token = 'bundle-test-token-0123456789';
    const query = dnsPacket.encode(
      makeQuery('kubernetes.default.svc.cluster.local', 'A', { id: 0 }),
    );
    const request = new Request(
      `${ORIGIN}/dns-query?dns=${Buffer.from(query).toString('base64url')}`,
      { headers: { accept: 'application/dns-message', authorization: `Bearer ${token}` } },
    );
    const event = await toEvent(request, 'function-url');
    // As the runtime: import the handler module, call handler(event, context), print the result.
    const script =
      'const [file, event, context] = process.argv.slice(1); const { handler } = await import(file); process.stdout.write(JSON.stringify(await handler(JSON.parse(event), JSON.parse(context))));';
    const env = {
      PATH: process.env.PATH,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      EDGE_DNS_TABLE: db.table,
      EDGE_DNS_CLUSTER: 'ci',
      EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
      EDGE_DNS_TOKENS: token,
    };
    // Not spawnSync: dynalite answers from this process's event loop.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script,
        join(dist, 'lambda/lambda.mjs'),
        JSON.stringify(event),
        JSON.stringify(lambdaContext()),
      ],
      { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(status, 0, stderr);
    // Before the result: the request's metric line (CloudWatch EMF, the Lambda default).
    const [metricLine, result] = stdout.split('\n');
    assert.match(metricLine!, /^\{"_aws":\{"Timestamp":\d+,"CloudWatchMetrics":/);
    const response = fromResult(JSON.parse(result!));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/dns-message');
    const reply = dnsPacket.decode(Buffer.from(await response.arrayBuffer()));
    assert.equal(rcodeOf(reply), 'NOERROR');
    assert.deepEqual(
      reply.answers?.map((a) => (a as { data: unknown }).data),
      ['10.96.0.1'],
    );
  } finally {
    await db.close();
  }
});

test('the container bundle serves the sample cluster', async () => {
  const child = spawn(
    process.execPath,
    [join(dist, 'container/container.mjs'), '--snapshot', SAMPLE_CLUSTER, '--dns', '127.0.0.1:0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const ready = await new Promise<ReturnType<typeof parseReadyLine>>((resolve, reject) => {
      createInterface({ input: child.stdout }).on(
        'line',
        (line) => parseReadyLine(line) && resolve(parseReadyLine(line)),
      );
      child.once('exit', (code) =>
        reject(new Error(`bundle exited (${code}) before its ready line`)),
      );
    });
    const reply = await queryUdp(
      ready!.udp,
      makeQuery('kubernetes.default.svc.cluster.local', 'A'),
    );
    assert.equal(rcodeOf(reply), 'NOERROR');
    assert.deepEqual(
      reply.answers?.map((a) => (a as { data: unknown }).data),
      ['10.96.0.1'],
    );
  } finally {
    child.kill('SIGTERM');
  }
});

test('the sync bundle publishes the sample cluster with --once', async () => {
  const db = await startDynalite();
  try {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const args = [
      join(dist, 'sync/sync.mjs'),
      '--once',
      '--snapshot',
      SAMPLE_CLUSTER,
      '--cluster-id',
      'ci',
      '--table',
      db.table,
      '--region',
      'us-east-1',
      '--dynamodb-endpoint',
      db.endpoint,
    ];
    // Not spawnSync: dynalite answers from this process's event loop.
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const run = { status, stderr };
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stderr,
      /full reconcile: \d+ objects seen, \d+ units built, \d+ items put, 0 deleted in \d+ ms/,
    );
    const owned = await new DynamoDbWriter({
      client: db.client,
      table: db.table,
      cluster: 'ci',
    }).listOwned();
    const expected = buildCluster(
      readSnapshots([join(REPO_ROOT, SAMPLE_CLUSTER)]),
      defaultBuildOptions,
    );
    assert.deepEqual([...owned.keys()].sort(), [...expected.keys()].sort());
  } finally {
    await db.close();
  }
});

test('the container and sync bundles print the version built into them', () => {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  for (const [bundle, command] of [
    ['container/container.mjs', 'edge-dns'],
    ['sync/sync.mjs', 'edge-dns-sync'],
  ]) {
    // From the bundle's folder, away from package.json: the version is the one esbuild defined.
    const out = spawnSync(process.execPath, [join(dist, bundle as string), '--version'], {
      cwd: dist,
      encoding: 'utf8',
    });
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stdout, `${command} ${version}\n`);
  }
});
