// DoH benchmark (`npm run bench:doh`): the container's DoH listener (HTTPS + HTTP/2) with a 10k-service
// cluster vs a minimal Node HTTP/2 server (the ceiling), both on core 0, driven by h2load on core 1;
// the bundle sizes, the Lambda bundle's cold import, and DynamoDB reads per 1,000 Zipf queries at the edge.
// Flags: --services N --namespaces M --requests N --zipf-queries N (0: skip the Zipf runs)
// --semi-space MB (the container's young generation, default 16) --keep.
// Traffic goes to 127.0.0.1 only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as dnsPacket from 'dns-packet';
import { generateCluster } from './generate-cluster.ts';
import { queryLines } from './query-mix.ts';
import { h2loadVersion, runH2load, type H2loadResult } from './h2load.ts';
import { canPin, killAll, memory, pinnedCommand, pinSelf, startServer, stop } from './proc.ts';
import { containerNodeFlags } from './image-flags.ts';
import { lambdaColdImport } from './cold-import.ts';
import { describeZipf, zipfReads } from './zipf-reads.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    services: { type: 'string' },
    namespaces: { type: 'string' },
    requests: { type: 'string' },
    'zipf-queries': { type: 'string' },
    'semi-space': { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const services = Number(values.services ?? 10_000);
const namespaces = Number(values.namespaces ?? 100);
const requests = Number(values.requests ?? 200_000);
// A long-lived instance: 1,000 s at 1,000 q/s, the last 100 s measured (bench/zipf-reads.ts).
const zipfQueries = Number(values['zipf-queries'] ?? 1_000_000);
const log = (m: string) => console.error(`bench:doh: ${m}`);

const version = h2loadVersion() ?? install();
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

async function measure(
  label: string,
  base: string,
): Promise<{ max: H2loadResult; fixed: H2loadResult }> {
  const uris = join(dir, `${label}-uris.txt`);
  writeFileSync(uris, `${lines.map(([name, type]) => dohUri(base, name, type)).join('\n')}\n`);
  runH2load({
    uris,
    requests: 20_000,
    clients: 4,
    streams: 32,
    core: clientCore,
    logFile: join(dir, 'warm.log'),
  });
  const max = runH2load({
    uris,
    requests,
    clients: 8,
    streams: 32,
    core: clientCore,
    logFile: join(dir, `${label}-max.log`),
  });
  // Latency at a fixed, moderate rate: 4 clients x 2,500 req/s.
  const fixed = runH2load({
    uris,
    requests: 50_000,
    clients: 4,
    streams: 32,
    rps: 2_500,
    core: clientCore,
    logFile: join(dir, `${label}-fixed.log`),
  });
  log(
    `${label}: ${max.rps.toFixed(0)} q/s at full load (${max.failed} failed); p50/p99 at 10k q/s ${fixed.p50.toFixed(2)}/${fixed.p99.toFixed(2)} ms`,
  );
  return { max, fixed };
}

const { list, queries } = generateCluster({ services, namespaces });
const snapshot = join(dir, 'cluster.json');
writeFileSync(snapshot, JSON.stringify(list));
const lines = queryLines(queries, 20_000).map((l) => l.split(' ') as [string, string]);
log(
  `h2load: ${version}; ${pin ? 'servers on core 0, h2load on core 1' : 'NOT pinned'}; ${list.items.length} objects`,
);
const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
process.stdout.write(built.stdout);

process.env.MALLOC_ARENA_MAX = '1';
const tls = [
  '--doh-cert',
  'test/fixtures/tls/localhost.crt',
  '--doh-key',
  'test/fixtures/tls/localhost.key',
];
// As infra/container/Dockerfile advises for a container serving DoH: a 16 MiB young generation
// (HTTP/2 allocates far more per query than port 53; at 1 MiB, GC takes ~30% of the core).
const semi = values['semi-space'] ?? '16'; // after the image's flags: the later flag wins
const [cmd, args] = pinnedCommand(serverCore, process.execPath, [
  ...containerNodeFlags(root),
  `--max-semi-space-size=${semi}`,
  'dist/container/container.mjs',
  '--snapshot',
  snapshot,
  '--dns',
  '127.0.0.1:0',
  '--doh',
  '127.0.0.1:0',
  ...tls,
]);
const edge = await startServer(
  cmd,
  args,
  /^edge-dns DoH on (https:\/\/127\.0\.0\.1:\d+)\/dns-query/,
  600_000,
  root,
);
const edgeFigures = await measure('edge-dns', edge.match[1]!);
const edgeRss = memory(edge.pid).rss;
await stop(edge.child);
const [ccmd, cargs] = pinnedCommand(serverCore, process.execPath, [
  '--import',
  'tsx',
  'bench/ceiling-doh.ts',
]);
const ceiling = await startServer(
  ccmd,
  cargs,
  /^ceiling ready: (https:\/\/127\.0\.0\.1:\d+)/,
  60_000,
  root,
);
const ceilingFigures = await measure('ceiling', ceiling.match[1]!);
await stop(ceiling.child);

const size = (file: string) =>
  existsSync(join(root, file))
    ? `${(statSync(join(root, file)).size / 1000).toFixed(0)} KB`
    : 'not built';
const cold = existsSync(join(root, 'dist/lambda/lambda.mjs'))
  ? lambdaColdImport(join(root, 'dist/lambda/lambda.mjs'), 10)
  : undefined;
const row = (r: string[]) => console.log(`| ${r.join(' | ')} |`);
console.log('\n| | edge-dns | ceiling | floor |\n|---|---|---|---|');
row([
  'DoH GET over HTTP/2, queries/s (8 connections x 32 streams)',
  edgeFigures.max.rps.toFixed(0),
  ceilingFigures.max.rps.toFixed(0),
  '15,000',
]);
row([
  'failed requests at full load',
  String(edgeFigures.max.failed),
  String(ceilingFigures.max.failed),
  '',
]);
for (const p of ['p50', 'p90', 'p99'] as const)
  row([
    `${p} at 10,000 q/s`,
    `${edgeFigures.fixed[p].toFixed(2)} ms`,
    `${ceilingFigures.fixed[p].toFixed(2)} ms`,
    '',
  ]);
row(['RSS of the container after the runs', `${edgeRss.toFixed(0)} MB`, '', '']);
row(['Lambda bundle (minified)', size('dist/lambda/lambda.mjs'), '', '< 400 KB']);
row(['Workers bundle (minified)', size('dist/workers/workers.mjs'), '', '< 250 KB']);
row([
  'Lambda cold import, median of 10 processes',
  cold ? `${cold.toFixed(0)} ms` : 'not built',
  '',
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
  // The same beside it with three clusters behind one edge (cluster zones; floor: < 10).
  log('Zipf: three clusters behind one edge (publishing three times)...');
  const three = await zipfReads({
    services,
    namespaces,
    clusters: 3,
    queries: zipfQueries,
    warmupQueries: Math.round(zipfQueries * 0.9),
    runs: ['serial', 'busy'],
    churnSeconds: 1,
  });
  console.log(`\n${describeZipf(three)}`);
}
