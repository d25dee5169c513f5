// The fuzz campaign (`npx tsx bench/fuzz.ts [--count N] [--seed S]`, not in CI; a short run is
// test/fuzz-campaign.test.ts): the container bundle on the sample cluster, DNS and plain-HTTP DoH
// on 127.0.0.1, takes N generated inputs (default 1,000,000: bench/fuzz-inputs.ts) over UDP, TCP,
// DoT and DoH (bench/fuzz-campaign.ts). Prints crashes (must be 0), probes unanswered, resident memory
// before and after (flat within 10%), and what came back, as tables for bench/README.md.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz-campaign.ts';
import { containerNodeFlags } from './image-flags.ts';
import { freePort } from './metrics-turns.ts';
import { killAll, memory, startServer, stop } from './proc.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { count: { type: 'string' }, seed: { type: 'string' } },
});
const count = Number(values.count ?? 1_000_000);
const seed = Number(values.seed ?? 1);
process.on('exit', killAll);

const dohPort = await freePort();
const dotPort = await freePort();
const tls = (f: string) => `test/fixtures/tls/localhost.${f}`;
const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
if (built.status !== 0) throw new Error('npm run build failed');
const server = await startServer(
  process.execPath,
  [
    ...containerNodeFlags(root),
    'dist/container/container.mjs',
    '--snapshot',
    'test/fixtures/sample-cluster.json',
    '--dns',
    '127.0.0.1:0',
    '--doh',
    `127.0.0.1:${dohPort}`,
    ...['--dot', `127.0.0.1:${dotPort}`, '--dot-cert', tls('crt'), '--dot-key', tls('key')],
  ],
  /edge-dns ready: .*udp:\/\/(\S+):(\d+)/,
  60_000,
  root,
);
const doh = `http://127.0.0.1:${dohPort}/dns-query`;
const [, host, port] = server.match as unknown as [string, string, string];
// Memory "before" is read once the first 2% of the inputs have warmed the caches and the JIT:
// what is compared is growth while fuzzed, not the start-up footprint.
let before = memory(server.pid);
const started = Date.now();
const report = await runFuzz(
  {
    udp: { host, port: Number(port) },
    tcp: { host, port: Number(port) },
    dot: { host: '127.0.0.1', port: dotPort, ca: readFileSync(`${root}/${tls('crt')}`) },
    doh,
    alive: () => server.child.exitCode === null && server.child.signalCode === null,
  },
  count,
  seed,
  { inputs: Math.round(count * 0.02), done: () => (before = memory(server.pid)) },
);
await new Promise((r) => setTimeout(r, 2000));
const after = memory(server.pid);
const seconds = (Date.now() - started) / 1000;
await stop(server.child);

const total = Object.values(report.sent).reduce((a, b) => a + b, 0);
console.log(
  `\n### Fuzz campaign: ${total.toLocaleString('en-US')} inputs, seed ${seed}, ${seconds.toFixed(0)} s\n`,
);
console.log('| | result |');
console.log('|---|---|');
console.log(`| crashes (process exited) | ${report.exited ? 1 : 0} |`);
console.log(`| probes unanswered within 3 s | ${report.unanswered} |`);
console.log(
  `| resident memory after the first 2% / after all | ${before.rss.toFixed(1)} / ${after.rss.toFixed(1)} MB (${((100 * after.rss) / before.rss - 100).toFixed(1)}%) |`,
);
console.log(`| peak resident memory | ${after.hwm.toFixed(1)} MB |`);
console.log(`| slow and half-open TCP connections | ${report.slowConnections} |`);
for (const proto of ['udp', 'tcp', 'dot', 'doh'] as const) {
  const outcomes = Object.entries(report.outcomes[proto]).sort((a, b) => b[1] - a[1]);
  console.log(
    `\n${proto.toUpperCase()} (${report.sent[proto].toLocaleString('en-US')} sent): ${outcomes.map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ')}`,
  );
}
const flat = after.rss <= before.rss * 1.1;
process.exitCode = report.exited || report.unanswered > 0 || !flat ? 1 : 0;
