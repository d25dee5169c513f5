// Forward-cache benchmark (`npm run bench:forward`): queries per second and p99 of cache
// HITS over UDP for names outside the cluster, edge-dns (the container bundle, forwarding `.` to a
// loopback upstream) beside unbound configured as a forwarder to the same upstream. Each is pinned
// to core 0, warmed with one pass over every question of the mix, then driven by dnsperf on core 1.
// Only 127.0.0.1: the upstream (bench/upstream-zone.ts) runs in this process.
// Flags: --hosts N (external names, 10000) --seconds S (per dnsperf run, 12) --keep (the temp dir)
//        --only edge-dns|unbound
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureApt, printedVersion } from './apt-install.ts';
import { generateCluster } from './generate-cluster.ts';
import { distinctQuestions, forwardQueryLines } from './external-zone.ts';
import { startZoneUpstream, type ZoneUpstream } from './upstream-zone.ts';
import { warmPass } from './warm-pass.ts';
import { measureHits, type HitTarget } from './hit-runs.ts';
import { spotCheck } from './spot-check.ts';
import { containerMallocEnv, containerNodeFlags } from './image-flags.ts';
import { ensureUnbound, loopbackCheck, startUnbound, unboundStats } from './unbound.ts';
import { canPin, killAll, memory, pinnedCommand, pinSelf, startServer, stop } from './proc.ts';
import { printForwardReport, type ServerResult } from './forward-report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    hosts: { type: 'string' },
    seconds: { type: 'string' },
    keep: { type: 'boolean' },
    only: { type: 'string' },
  },
});
const hosts = Number(values.hosts ?? 10_000);
const seconds = Number(values.seconds ?? 12);
const log = (m: string) => console.error(`bench:forward: ${m}`);

const dnsperf = ensureApt('dnsperf', () => printedVersion('dnsperf', ['-h']), log);
const unbound = values.only === 'edge-dns' ? 'not run' : ensureUnbound(log);
const pin = canPin(availableParallelism());
const [serverCore, clientCore] = pin ? [0, 1] : [undefined, undefined];
if (pin) pinSelf(1); // the orchestrator (and the upstream in it) stays off the server's core
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-bench-forward-'));
process.on('exit', () => {
  killAll();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

try {
  log(
    `dnsperf ${dnsperf}, unbound ${unbound}; ${pin ? 'server on core 0, dnsperf and the upstream on core 1' : 'NOT pinned (no taskset or fewer than 2 cores)'}; temp dir ${dir}`,
  );
  const lines = forwardQueryLines(hosts);
  const queryFile = join(dir, 'queries.txt');
  writeFileSync(queryFile, `${lines.join('\n')}\n`);
  const distinct = distinctQuestions(lines, hosts);
  // Room for every distinct question with a margin, so nothing is evicted (LRU) during the runs.
  const capacity = Math.max(
    20_000,
    Math.ceil((Math.max(distinct.positive, distinct.negative) * 1.25) / 1000) * 1000,
  );
  log(
    `${lines.length.toLocaleString('en-US')} queries over ${hosts.toLocaleString('en-US')} external hosts: ${distinct.lines.length.toLocaleString('en-US')} distinct questions (${distinct.positive} positive, ${distinct.negative} negative)`,
  );
  const upstream = await startZoneUpstream(hosts);
  log(`upstream: 127.0.0.1:${upstream.port} (UDP, in this process)`);
  const spots = spotQueries();
  const results: ServerResult[] = [];

  if (values.only !== 'unbound') {
    const { list } = generateCluster({ services: 100, namespaces: 10 });
    const snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify(list));
    const built = spawnSync(process.execPath, ['scripts/build.mjs', 'dist', 'container'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0) throw new Error('node scripts/build.mjs dist container failed');
    // As infra/container/Dockerfile runs it (see bench/dns.ts).
    Object.assign(process.env, containerMallocEnv(root));
    const flags = [
      '--snapshot',
      snapshot,
      '--dns',
      '127.0.0.1:0',
      '--forward',
      `.=127.0.0.1:${upstream.port}`,
      '--cache-success',
      String(capacity),
      '--cache-denial',
      String(capacity),
    ];
    const [cmd, args] = pinnedCommand(serverCore, process.execPath, [
      ...containerNodeFlags(root),
      'dist/container/container.mjs',
      ...flags,
    ]);
    const edge = await startServer(
      cmd,
      args,
      /edge-dns ready: .*udp:\/\/(\S+):(\d+)/,
      120_000,
      root,
    );
    if (edge.match[1] !== '127.0.0.1')
      throw new Error(`edge-dns listens on ${edge.match[1]}: ${edge.line}`);
    log(`edge-dns ready after ${(edge.ms / 1000).toFixed(1)} s: node ${flags.join(' ')}`);
    results.push(
      await run(
        'edge-dns',
        `container bundle, --forward .=127.0.0.1:${upstream.port} --cache-success ${capacity} --cache-denial ${capacity}`,
        edge.pid,
        Number(edge.match[2]),
        upstream,
        () => [],
      ),
    );
    await stop(edge.child);
  }

  if (values.only !== 'edge-dns') {
    const port = await freeUdpPort();
    const ub = await startUnbound(dir, port, upstream.port, serverCore);
    log(`unbound ready after ${(ub.ms / 1000).toFixed(1)} s on 127.0.0.1@${port} (${ub.conf})`);
    const statsBefore: Record<string, number> = {};
    results.push(
      await run(
        'unbound',
        `unbound ${unbound}, 1 thread, forward-zone "." to 127.0.0.1@${upstream.port}, iterator only`,
        ub.pid,
        port,
        upstream,
        (phase) => {
          if (phase === 'before') Object.assign(statsBefore, unboundStats(ub.conf));
          if (phase === 'before') return [];
          const after = unboundStats(ub.conf);
          const d = (k: string) => (after[k] ?? NaN) - (statsBefore[k] ?? NaN);
          const check = loopbackCheck(ub);
          return [
            `unbound counters over the measured runs: ${d('total.num.queries')} queries, ${d('total.num.cachehits')} cache hits, ${d('total.num.cachemiss')} cache misses, ${d('total.num.prefetch')} prefetches`,
            `unbound dump_infra (every server it sent a query to): ${check.contacted.map((l) => l.split(' ')[0]).join(', ') || 'none'}; not 127.0.0.1: ${check.foreign.length ? check.foreign.join('; ') : 'none'}`,
            `unbound log (verbosity 1), lines with error/warning/fail/root/prim: ${check.logProblems.length ? check.logProblems.join(' | ') : 'none'}`,
          ];
        },
      ),
    );
    await stop(ub.child);
  }
  await upstream.close();
  printForwardReport({
    dnsperf,
    pinned: pin,
    seconds,
    hosts,
    queries: lines.length,
    distinct: distinct.lines.length,
    upstreamOutside: upstream.outsideSeen,
    results,
  });

  /** Warm (twice: fill, then check all hits), spot-check, measure, read memory. */
  async function run(
    name: string,
    setup: string,
    pid: number,
    port: number,
    up: ZoneUpstream,
    extra: (phase: 'before' | 'after') => string[],
  ): Promise<ServerResult> {
    up.forget();
    const beforeWarm = memory(pid);
    let count = up.queries;
    const repeats = up.repeats;
    const warm = await warmPass(port, distinct.lines, hosts);
    const upstreamWarm = up.queries - count;
    const warmRepeats = `${up.repeats - repeats} upstream queries repeated a question already asked${up.repeatsSeen.length ? `, e.g. ${up.repeatsSeen.slice(0, 3).join(', ')}` : ''}`;
    count = up.queries;
    const verify = await warmPass(port, distinct.lines, hosts);
    const upstreamVerify = up.queries - count;
    log(
      `${name} warm pass: ${warm.replies}/${warm.sent} replies, ${warm.wrong} wrong, ${upstreamWarm} upstream queries, ${warm.ms} ms; second pass: ${verify.replies} replies, ${verify.wrong} wrong, ${upstreamVerify} upstream queries`,
    );
    const spot = await spotCheck(port, spots);
    const afterWarm = memory(pid);
    extra('before');
    const target: HitTarget = {
      server: name,
      pid,
      port,
      file: queryFile,
      seconds,
      core: clientCore,
      upstreamCount: () => up.queries,
      log,
    };
    const hits = await measureHits(target);
    return {
      name,
      setup,
      warm,
      verify,
      upstreamWarm,
      upstreamVerify,
      spot,
      hits,
      memory: { beforeWarm, afterWarm, afterRuns: memory(pid) },
      notes: [`warm pass: ${warmRepeats}`, ...extra('after')],
    };
  }
} catch (error) {
  log((error as Error).message);
  process.exit(1); // the exit handler stops what still runs
}

/** One question of each kind of the mix (what dnsperf cannot show: answer counts). */
function spotQueries() {
  return [
    { kind: 'A hit', name: 'svc-00042.ns-042.bench.example', type: 'A' },
    { kind: 'AAAA NODATA', name: 'svc-00042.ns-042.bench.example', type: 'AAAA' },
    { kind: 'SRV', name: '_https._tcp.svc-00042.ns-042.bench.example', type: 'SRV' },
    { kind: 'CNAME chain', name: 'www.svc-00042.ns-042.bench.example', type: 'A' },
    { kind: 'NXDOMAIN', name: 'missing-42.ns-042.bench.example', type: 'A' },
  ];
}

/** A UDP port free on 127.0.0.1 now (unbound takes a port number, not 0). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}
