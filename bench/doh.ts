// DoH benchmark (`npm run bench:doh`): the container's DoH listener (HTTPS + HTTP/2) with a
// 10k-service cluster beside a minimal Node DoH server on the same data, a canned Node HTTP/2
// server and unbound (doh-servers.ts), each on core 0, driven by h2load on core 1: wire GET and
// POST at full load and at a fixed 5,000 q/s; edge-dns and the minimal server in alternating
// rounds (the best of the rounds compared: the host's noise only slows a run). Then the bundle
// sizes, the Lambda bundle's cold import, and DynamoDB reads per 1,000 Zipf queries at the edge.
// Flags: --services N --namespaces M --requests N --rounds N (default 3) --zipf-queries N (0: skip
// the Zipf runs) --semi-space MB (the Node servers' young generation, default 16) --edge-flags
// =FLAGS (more Node flags for edge-dns, to try a V8 setting: --edge-flags=--max-old-space-size=384)
// --keep.
// Traffic goes to 127.0.0.1 only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { containerMallocEnv } from './image-flags.ts';
import * as dnsPacket from 'dns-packet';
import { generateCluster } from './generate-cluster.ts';
import { queryLines } from './query-mix.ts';
import { h2loadVersion, runH2load, type H2loadResult } from './h2load.ts';
import { canPin, killAll, memory, pinSelf, stop } from './proc.ts';
import { startDohServer, type ServerName } from './doh-servers.ts';
import { buildCluster } from '../sync/records/cluster.ts';
import { defaultBuildOptions } from '../sync/records/options.ts';
import { readSnapshots } from '../sync/snapshot/read.ts';
import { lambdaColdImport } from './cold-import.ts';
import { describeZipf, zipfReads } from './zipf-reads.ts';
import { describeDoh, type Figures } from './doh-table.ts';
import { ensureUnbound } from './unbound.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    services: { type: 'string' },
    namespaces: { type: 'string' },
    requests: { type: 'string' },
    'zipf-queries': { type: 'string' },
    'semi-space': { type: 'string' },
    'edge-flags': { type: 'string' },
    rounds: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const services = Number(values.services ?? 10_000);
const namespaces = Number(values.namespaces ?? 100);
const requests = Number(values.requests ?? 200_000);
const rounds = Number(values.rounds ?? 3);
// A long-lived instance: 1,000 s at 1,000 q/s, the last 100 s measured (bench/zipf-reads.ts).
const zipfQueries = Number(values['zipf-queries'] ?? 1_000_000);
const log = (m: string) => console.error(`bench:doh: ${m}`);

const version = h2loadVersion() ?? install();
const unboundVersion = ensureUnbound(log);
const pin = canPin(availableParallelism());
const [serverCore, clientCore] = pin ? [0, 1] : [undefined, undefined];
if (pin) pinSelf(1);
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-bench-doh-'));
process.on('exit', () => {
  killAll();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

function install(): string {
  log('h2load not found: installing nghttp2-client with apt-get');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'nghttp2-client'],
  ]) {
    const [cmd, ...rest] = [...sudo, ...args];
    spawnSync(cmd!, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const v = h2loadVersion();
  if (!v) throw new Error('h2load is still missing: apt-get install nghttp2-client');
  return v;
}

/** RFC 8484 §4.1: GET with the query, ID 0, base64url without padding. */
function dohUri(base: string, name: string, type: string): string {
  const wire = dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
  });
  return `${base}/dns-query?dns=${wire.toString('base64url')}`;
}

/** Wire GETs of the mix, then one wire POST (h2load -d sends one body), each at full load and at 5,000 q/s. */
async function measure(label: string, base: string, pid: number): Promise<Figures> {
  const uris = join(dir, `${label}-uris.txt`);
  writeFileSync(uris, `${lines.map(([name, type]) => dohUri(base, name, type)).join('\n')}\n`);
  const postUri = join(dir, `${label}-post-uri.txt`);
  writeFileSync(postUri, `${base}/dns-query\n`);
  const run = (
    file: string,
    n: number,
    extra: { rps?: number; clients?: number; postBody?: string },
    log: string,
  ) =>
    runH2load({
      uris: file,
      requests: n,
      clients: extra.clients ?? 8,
      streams: 32,
      ...(extra.rps !== undefined && { rps: extra.rps }),
      ...(extra.postBody !== undefined && { postBody: extra.postBody }),
      core: clientCore,
      logFile: join(dir, `${label}-${log}.log`),
    });
  run(uris, 20_000, { clients: 4 }, 'warm');
  // Latency at a fixed, moderate rate: 4 clients x 1,250 req/s = 5,000 q/s.
  const fixed = { rps: 1_250, clients: 4 };
  const get = {
    max: run(uris, requests, {}, 'get-max'),
    fixed: run(uris, 50_000, fixed, 'get-fixed'),
  };
  const post = {
    max: run(postUri, requests, { postBody }, 'post-max'),
    fixed: run(postUri, 50_000, { ...fixed, postBody }, 'post-fixed'),
  };
  const rss = memory(pid).rss;
  const f = (r: H2loadResult) => `${r.rps.toFixed(0)} q/s (${r.failed} failed)`;
  const l = (r: H2loadResult) => `${r.p50.toFixed(2)}/${r.p99.toFixed(2)} ms`;
  log(
    `${label}: GET ${f(get.max)}, p50/p99 at 5k ${l(get.fixed)}; POST ${f(post.max)}, ${l(post.fixed)}; RSS ${rss.toFixed(0)} MB`,
  );
  return { get, post, rss };
}

const { list, queries } = generateCluster({ services, namespaces });
const snapshot = join(dir, 'cluster.json');
writeFileSync(snapshot, JSON.stringify(list));
const lines = queryLines(queries, 20_000).map((l) => l.split(' ') as [string, string]);
// The POST body: one A query for a service (ID 0, RFC 8484 §4.1).
const postBody = join(dir, 'post-body.bin');
writeFileSync(
  postBody,
  dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: queries.a[0]!, type: 'A', class: 'IN' }],
  }),
);
log(
  `h2load: ${version}; unbound ${unboundVersion}; ${pin ? 'servers on core 0, h2load on core 1' : 'NOT pinned'}; ${list.items.length} objects`,
);
const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
process.stdout.write(built.stdout);

Object.assign(process.env, containerMallocEnv(root));
const setup = {
  root,
  dir,
  snapshot,
  nodes: () => buildCluster(readSnapshots([snapshot]), defaultBuildOptions).values(),
  core: serverCore,
  // As infra/container/Dockerfile advises for a container serving DoH: a 16 MiB young generation
  // (HTTP/2 allocates far more per query than port 53; at 1 MiB, GC takes ~30% of the core).
  semiSpace: values['semi-space'] ?? '16',
  edgeFlags: (values['edge-flags'] ?? '').split(' ').filter(Boolean),
};
const runs = new Map<ServerName, Figures[]>();
async function round(name: ServerName): Promise<void> {
  const server = await startDohServer(name, setup);
  const figures = await measure(name, server.url, server.pid);
  await stop(server.child);
  runs.set(name, [...(runs.get(name) ?? []), figures]);
}
for (let i = 0; i < rounds; i++)
  for (const name of ['edge-dns', 'minimal'] as const) await round(name);
for (const name of ['canned', 'unbound'] as const) await round(name);

const size = (file: string) =>
  existsSync(join(root, file))
    ? `${(statSync(join(root, file)).size / 1000).toFixed(0)} KB`
    : 'not built';
const cold = existsSync(join(root, 'dist/lambda/lambda.mjs'))
  ? lambdaColdImport(join(root, 'dist/lambda/lambda.mjs'), 10)
  : undefined;
console.log(describeDoh(runs));
const row = (r: string[]) => console.log(`| ${r.join(' | ')} |`);
console.log('\n| | edge-dns | floor |\n|---|---|---|');
row(['Lambda bundle (minified)', size('dist/lambda/lambda.mjs'), '< 240 KB']);
row(['Workers bundle (minified)', size('dist/workers/workers.mjs'), '< 230 KB']);
row([
  'Lambda cold import, median of 10 processes',
  cold ? `${cold.toFixed(0)} ms` : 'not built',
  '< 120 ms',
]);

// DynamoDB reads per 1,000 Zipf queries through one edge instance's cache (floor: < 50), on a
// quiet cluster and on one where a name changes every second; the steady state is the last 10%.
if (zipfQueries > 0) {
  log(
    `Zipf: publishing the cluster to dynalite and running ${zipfQueries} queries per run (a few minutes)...`,
  );
  const zipf = await zipfReads({
    services,
    namespaces,
    queries: zipfQueries,
    warmupQueries: Math.round(zipfQueries * 0.9),
    runs: ['serial', 'busy'],
    churnSeconds: 1,
  });
  console.log(`\n${describeZipf(zipf)}`);
  // Beside it, three clusters behind one edge (cluster zones; floor: < 10). Three times the names:
  // the instance lives three times as long, so that the last 100 s ask few names never asked
  // before (the cold bound), as in the one-cluster run.
  log('Zipf: three clusters behind one edge (publishing three times)...');
  const three = await zipfReads({
    services,
    namespaces,
    clusters: 3,
    queries: zipfQueries * 3,
    warmupQueries: zipfQueries * 3 - Math.round(zipfQueries * 0.1),
    runs: ['serial'],
    churnSeconds: 1,
  });
  console.log(`\n${describeZipf(three)}`);
}
