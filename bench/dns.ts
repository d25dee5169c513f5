// DNS benchmark (`npm run bench:dns`): edge-dns loaded with a 10k-service cluster vs a minimal Node
// DNS server (the ceiling), both on core 0, driven by dnsperf on core 1, over 127.0.0.1 only.
// Flags: --services N --namespaces M --seconds S (per dnsperf run) --keep (keep the temp dir, with every dnsperf run's output)
// --log, --metrics, --corefile (the UDP sweep in turns against edge-dns without process plugins,
// with Prometheus metrics, with every query logged (bench/logged-server.ts), and from a
// seed-shaped Corefile (bench/seed-corefile.ts): bench/metrics-turns.ts). --native: the UDP sweep in
// turns against edge-dns, the Node ceiling and the native prototype (bench/native-ceiling.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCluster } from './generate-cluster.ts';
import { classify, queryLines } from './query-mix.ts';
import { dnsperfVersion, runDnsperf, type DnsperfRun } from './dnsperf.ts';
import {
  canPin,
  coreBusy,
  coreTicks,
  cpuSeconds,
  killAll,
  memory,
  pinnedCommand,
  pinSelf,
  resetPeak,
  startServer,
  stop,
  udpReceiveBufferErrors,
  waitQuiet,
  type Started,
} from './proc.ts';
import { spotCheck } from './spot-check.ts';
import { containerMallocEnv, containerNodeFlags } from './image-flags.ts';
import { printReport, type Measured } from './report.ts';
import { latencyInTurns } from './latency-windows.ts';
import { logFileCounts, printLogComparison, startLoggedServer } from './logged-server.ts';
import {
  freePort,
  inTurns,
  printCorefileComparison,
  printMetricsComparison,
  requestsCounted,
} from './metrics-turns.ts';
import { writeSeedCorefile } from './seed-corefile.ts';
import { buildNative, nativeBatches, printNativeComparison } from './native-ceiling.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    services: { type: 'string' },
    namespaces: { type: 'string' },
    seconds: { type: 'string' },
    keep: { type: 'boolean' },
    log: { type: 'boolean' },
    metrics: { type: 'boolean' },
    corefile: { type: 'boolean' },
    native: { type: 'boolean' },
  },
});
const services = Number(values.services ?? 10_000);
const namespaces = Number(values.namespaces ?? 100);
const seconds = Number(values.seconds ?? 12);
const udpSweep = [
  { clients: 1, outstanding: 20 },
  { clients: 4, outstanding: 100 },
  { clients: 8, outstanding: 500 },
];
const tcpSweep = [
  { clients: 4, outstanding: 100 },
  { clients: 16, outstanding: 500 },
];
const latencyRun = { clients: 1, outstanding: 2000, qps: 20_000, timeout: 2 };
const settleSeconds = 15;
let runNumber = 0;
/** Seconds at the latency rate before its windows, not measured. */
const warmSeconds = 3;

const version = ensureDnsperf();
const pin = canPin(availableParallelism());
const [serverCore, clientCore] = pin ? [0, 1] : [undefined, undefined];
if (pin) pinSelf(1); // the orchestrator parses dnsperf's output: keep it off the server's core
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-bench-'));
const cleanup = () => {
  killAll();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

try {
  const log = (m: string) => console.error(`bench:dns: ${m}`);
  log(
    `dnsperf ${version}; ${pin ? 'server on core 0, dnsperf on core 1' : 'NOT pinned (no taskset or fewer than 2 cores)'}; temp dir ${dir}`,
  );
  const { list, queries } = generateCluster({ services, namespaces });
  const snapshot = join(dir, 'cluster.json');
  const snapshotText = JSON.stringify(list);
  writeFileSync(snapshot, snapshotText);
  const queryFile = join(dir, 'queries.txt');
  writeFileSync(queryFile, `${queryLines(queries).join('\n')}\n`);
  log(
    `generated ${list.items.length} objects (${(snapshotText.length / 1e6).toFixed(1)} MB) and 100,000 queries`,
  );

  // edge-dns
  log('starting edge-dns (loading the snapshot)...');
  // Measure what ships: the esbuild bundle of the container entry (npm run build).
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  // As infra/container/Dockerfile runs it: one malloc arena (the loader thread's freed memory
  // is reused, not held in an arena of its own) and the image's NODE_OPTIONS.
  Object.assign(process.env, containerMallocEnv(root));
  const [cmd, args] = pinnedCommand(serverCore, process.execPath, [
    ...containerNodeFlags(root),
    'dist/container/container.mjs',
    '--snapshot',
    snapshot,
    '--dns',
    '127.0.0.1:0',
  ]);
  const edge = await startServer(cmd, args, /edge-dns ready: .*udp:\/\/(\S+):(\d+)/, 600_000, root);
  const port = loopbackPort(edge);
  const tcpPort = Number(edge.line.match(/tcp:\/\/\S+:(\d+)/)?.[1]);
  const loadCpu = cpuSeconds(edge.pid);
  const atReady = memory(edge.pid);
  log(
    `${edge.line}\n  (ready after ${(edge.ms / 1000).toFixed(1)} s, RSS ${atReady.rss.toFixed(0)} MB; idling ${settleSeconds} s so V8 can drop the load's garbage)`,
  );
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  const afterLoad = memory(edge.pid);
  // From here VmHWM is the peak while serving; until here it was the peak of the load.
  const peakReset = resetPeak(edge.pid);
  const spot = await spotCheck(port, [
    { kind: 'A hit', name: queries.a[1]!, type: 'A' },
    { kind: 'A hit (headless)', name: queries.headless[0]!, type: 'A' },
    { kind: 'A hit (hostname)', name: queries.hostnames[0]!, type: 'A' },
    { kind: 'AAAA NODATA', name: queries.aaaaNodata[1]!, type: 'AAAA' },
    { kind: 'AAAA (dual-stack)', name: queries.aaaa[0]!, type: 'AAAA' },
    { kind: 'SRV', name: queries.srv[1]!, type: 'SRV' },
    { kind: 'PTR', name: queries.ptr[1]!, type: 'PTR' },
    { kind: 'CNAME (ExternalName)', name: queries.cname[0]!, type: 'A' },
    { kind: 'NXDOMAIN', name: queries.nxdomain[0]!, type: 'A' },
  ]);
  const edgeSweeps = await sweeps('edge-dns', edge.pid, port, tcpPort, queryFile);

  // The ceilings, on the same core, with the same runs.
  const ceilingUdp = await startCeiling('ceiling-udp.ts', /udp:\/\/(\S+):(\d+)/);
  const ceilingUdpSweeps = await sweeps(
    'ceiling',
    ceilingUdp.pid,
    loopbackPort(ceilingUdp),
    undefined,
    queryFile,
  );
  // The 20k q/s windows in turns, edge-dns then the ceiling, both idle on core 0 when not asked.
  const {
    figures: [edgeLatency, ceilingLatency],
    noise,
  } = await latencyInTurns(
    [
      { server: 'edge-dns', pid: edge.pid, port },
      { server: 'ceiling', pid: ceilingUdp.pid, port: loopbackPort(ceilingUdp) },
    ],
    { qps: latencyRun.qps, seconds, windows: 3, skipSeconds: 1, warmSeconds, serverCore },
    { ...latencyRun, classify },
    (target, run, runSeconds) => runMeasured(target.server, target.pid, queryFile, run, runSeconds),
  );
  const afterRuns = memory(edge.pid);
  const runCpu = cpuSeconds(edge.pid);
  await stop(edge.child);
  const ceilingMemory = memory(ceilingUdp.pid);
  await stop(ceilingUdp.child);
  const ceilingTcp = await startCeiling('ceiling-tcp.ts', /tcp:\/\/(\S+):(\d+)/);
  const ceilingTcpSweeps = await sweeps(
    'ceiling',
    ceilingTcp.pid,
    undefined,
    loopbackPort(ceilingTcp),
    queryFile,
  );
  await stop(ceilingTcp.child);

  printReport({
    dnsperf: version,
    pinned: pin,
    seconds,
    cluster: {
      services,
      namespaces,
      objects: list.items.length,
      megabytes: snapshotText.length / 1e6,
      readyLine: edge.line,
      readyMs: edge.ms,
      loadCpu,
    },
    spot,
    noise,
    edge: {
      ...edgeSweeps,
      ...edgeLatency,
      memory: { atReady, afterLoad, afterRuns, peakReset },
      cpu: { load: loadCpu, total: runCpu },
    },
    ceiling: {
      udp: ceilingUdpSweeps.udp,
      tcp: ceilingTcpSweeps.tcp,
      ...ceilingLatency,
      memory: {
        atReady: ceilingMemory,
        afterLoad: ceilingMemory,
        afterRuns: ceilingMemory,
        peakReset: false,
      },
    },
  });
  if (values.log || values.metrics || values.corefile || values.native) {
    // The UDP sweep in turns against fresh edge-dns processes: one plain, one with --metrics, one
    // with every query logged (CoreDNS's common format, stdout to a file in the temp dir).
    const metricsPort = await freePort();
    const logFile = join(dir, 'query-log.txt');
    const serve = (extra: string[], source = ['--snapshot', snapshot]) =>
      pinnedCommand(serverCore, process.execPath, [
        ...containerNodeFlags(root),
        'dist/container/container.mjs',
        ...source,
        '--dns',
        '127.0.0.1:0',
        ...extra,
      ]);
    const ready = /edge-dns ready: .*udp:\/\/(\S+):(\d+)/;
    const variants: { name: string; server: Started }[] = [];
    log('starting edge-dns (plugins off)...');
    variants.push({
      name: 'edge-dns',
      server: await startServer(...serve([]), ready, 600_000, root),
    });
    if (values.metrics) {
      log('starting edge-dns --metrics...');
      const [cmd, args] = serve(['--metrics', `127.0.0.1:${metricsPort}`]);
      variants.push({
        name: 'edge-dns --metrics',
        server: await startServer(cmd, args, ready, 600_000, root),
      });
    }
    if (values.log) {
      log('starting edge-dns --log (stdout to a file in the temp dir)...');
      const [cmd, args] = serve(['--log']);
      variants.push({
        name: 'edge-dns --log',
        server: await startLoggedServer(cmd, args, logFile, ready, 600_000, root),
      });
    }
    if (values.corefile) {
      log('starting edge-dns --corefile (the seed-shaped Corefile, bench/seed-corefile.ts)...');
      const [cmd, args] = serve([], ['--corefile', writeSeedCorefile(dir, root, snapshot)]);
      variants.push({
        name: 'edge-dns --corefile',
        server: await startServer(cmd, args, ready, 600_000, root),
      });
    }
    const native = values.native ? buildNative(root, dir) : undefined;
    if (native && 'missing' in native) log(`--native skipped: ${native.missing}`);
    if (native && 'path' in native) {
      log('starting the Node ceiling and the native prototype (bench/native-ceiling.c)...');
      variants.push({
        name: 'Node ceiling',
        server: await startCeiling('ceiling-udp.ts', /udp:\/\/(\S+):(\d+)/),
      });
      for (const batch of nativeBatches) {
        const [cmd, args] = pinnedCommand(serverCore, native.path, ['0', String(batch)]);
        variants.push({
          name: `native, ${batch === 1 ? '1 datagram' : `up to ${batch} datagrams`} per call`,
          server: await startServer(cmd, args, /udp:\/\/(\S+):(\d+)/, 10_000, root),
        });
      }
    }
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    const measured = await inTurns(udpSweep, variants.length, (v, setting) => {
      const { name, server } = variants[v]!;
      const run = { ...setting, port: loopbackPort(server), mode: 'udp' as const };
      return runMeasured(name, server.pid, queryFile, run, seconds);
    });
    const off = measured[0]!;
    const withMetrics = values.metrics ? measured[1]! : undefined;
    const withLog = values.log ? measured[values.metrics ? 2 : 1]! : undefined;
    const nativeRows = native && 'path' in native ? 1 + nativeBatches.length : 0;
    const withCorefile = values.corefile ? measured[measured.length - 1 - nativeRows]! : undefined;
    const requests = withMetrics
      ? await requestsCounted(`http://127.0.0.1:${metricsPort}/metrics`)
      : 0;
    await Promise.all(variants.map((v) => stop(v.server.child)));
    if (withMetrics) {
      const completed = withMetrics.reduce((n, m) => n + m.result.completed, 0);
      printMetricsComparison(off, withMetrics, { requests, completed });
    }
    if (withLog) printLogComparison(off, withLog, logFileCounts(logFile));
    if (withCorefile) printCorefileComparison(off, withCorefile);
    if (nativeRows)
      printNativeComparison(
        variants
          .map((v, i) => ({ name: v.name, runs: measured[i]! }))
          .filter((_, i) => i === 0 || i >= variants.length - nativeRows),
      );
  }
} catch (error) {
  console.error(`bench:dns: ${(error as Error).message}`);
  process.exit(1); // the exit handler stops the servers still running
}

async function startCeiling(file: string, ready: RegExp): Promise<Started> {
  const [cmd, args] = pinnedCommand(serverCore, process.execPath, [
    '--import',
    'tsx',
    join('bench', file),
  ]);
  return startServer(cmd, args, ready, 60_000, root);
}

/** The UDP port from a ready line; refuses anything but 127.0.0.1 (loopback-only rule). */
function loopbackPort(started: Started): number {
  const [, host, port] = started.match;
  if (host !== '127.0.0.1')
    throw new Error(`server listens on ${host}, expected 127.0.0.1: ${started.line}`);
  return Number(port);
}

/** One dnsperf run against one server, with the server's CPU and the cores' busy and stolen shares. */
async function runMeasured(
  server: string,
  pid: number,
  file: string,
  run: Omit<DnsperfRun, 'file' | 'seconds' | 'core'>,
  runSeconds: number,
): Promise<Measured> {
  const background = await waitQuiet(30_000);
  const cpu = cpuSeconds(pid);
  const ticks = coreTicks();
  const drops = udpReceiveBufferErrors();
  console.error(
    `bench:dns: ${server} ${run.mode} -c ${run.clients} -q ${run.outstanding}${run.qps ? ` -Q ${run.qps}` : ''} for ${runSeconds} s...`,
  );
  // With --keep, every run's dnsperf output stays in the temp dir, numbered in the order run.
  const keepAs = values.keep
    ? join(
        dir,
        `dnsperf-${String(++runNumber).padStart(2, '0')}-${server}-${run.mode}${run.qps ? `-Q${run.qps}` : `-c${run.clients}-q${run.outstanding}`}.txt`,
      )
    : undefined;
  const result = await runDnsperf({
    ...run,
    file,
    seconds: runSeconds,
    core: clientCore,
    ...(keepAs && { keepAs }),
  });
  const after = cpuSeconds(pid);
  const ticksAfter = coreTicks();
  const used = after.user - cpu.user + after.system - cpu.system;
  return {
    server,
    result,
    serverCpu: used / result.runTime,
    serverUser: (after.user - cpu.user) / result.runTime,
    cores: coreBusy(ticks, ticksAfter),
    steal: coreBusy(ticks, ticksAfter, 'steal'),
    background,
    rcvbufDrops: udpReceiveBufferErrors() - drops,
  };
}

/** The UDP sweep and the TCP sweep against one server. */
async function sweeps(
  server: string,
  pid: number,
  udpPort: number | undefined,
  tcpPort: number | undefined,
  file: string,
): Promise<{ udp: Measured[]; tcp: Measured[] }> {
  const udp: Measured[] = [];
  const tcp: Measured[] = [];
  if (udpPort !== undefined)
    for (const s of udpSweep)
      udp.push(await runMeasured(server, pid, file, { ...s, port: udpPort, mode: 'udp' }, seconds));
  if (tcpPort !== undefined)
    for (const s of tcpSweep)
      tcp.push(await runMeasured(server, pid, file, { ...s, port: tcpPort, mode: 'tcp' }, seconds));
  return { udp, tcp };
}

/** dnsperf's version; installs it with apt-get when missing and running as root, else exits. */
function ensureDnsperf(): string {
  const found = dnsperfVersion();
  if (found) return found;
  if (process.getuid?.() === 0) {
    console.error('bench:dns: dnsperf not found; running apt-get install -y dnsperf');
    spawnSync('apt-get', ['install', '-y', 'dnsperf'], { stdio: 'inherit' });
    const installed = dnsperfVersion();
    if (installed) return installed;
  }
  console.error(
    'bench:dns: dnsperf is required (DNS-OARC dnsperf 2.x). Install it with `sudo apt-get install -y dnsperf` and run again.',
  );
  process.exit(1);
}
