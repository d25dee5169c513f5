// The in-cluster server: config -> records (a snapshot, or the live cluster) -> memory store ->
// UDP + TCP :53, DoH (RFC 8484 and JSON) and the /health and /ready probes (docs/architecture.md
// §1). SIGTERM/SIGINT: lameduck, then drain and exit 0 (container-lifecycle.ts); SIGHUP/SIGUSR1
// and a changed --config file: live reload (container-reload.ts, container-server.ts).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { warmUpQueries } from '../core/warm-up.ts';
import { warmUpUdp } from '../dns53/warm-up.ts';
import { checkSourceFiles } from './container-block-sources.ts';
import { containerDohAuth } from './container-doh-auth.ts';
import { probeLoops } from './container-loop.ts';
import { containerCommandFromArgs } from './container-flags.ts';
import { Lifecycle } from './container-lifecycle.ts';
import { hostPortText as at } from './container-listener-set.ts';
import { probeAddresses } from './container-listeners.ts';
import { ContainerLogs, type ContainerLog } from './container-logs.ts';
import { containerObservers, type ContainerObservers } from './container-observers.ts';
import { corefileTexts } from './container-corefile.ts';
import { configPathOf, Reloader } from './container-reload.ts';
import { ContainerServer } from './container-server.ts';
import { certificateFiles } from '../dns53/dot-config.ts';

// Plain lines until the configuration's `log` and `errors` blocks are read (container-logs.ts).
let logs: ContainerLogs | undefined;
const log: ContainerLog = {
  warn: (m, source) => (logs ? logs.warn(m, source) : console.error(`edge-dns: ${m}`)),
  queryFailed: (rcode, question, error) => logs?.queryFailed(rcode, question, error),
};
const argv = process.argv.slice(2);
let server: ContainerServer | undefined;
let reloader: Reloader | undefined;
let observers: ContainerObservers | undefined;

// Installed first: a signal at any point, start-up included, is handled (start-up: close, exit 0).
const lifecycle = new Lifecycle({
  lameduckMs: () => server?.config.health.lameduck ?? 0,
  drain: async (ms) => server?.drain(ms),
  close: async () => {
    reloader?.stop();
    await server?.close();
    await logs?.close();
    await observers?.close();
  },
  exit: (code) => process.exit(code),
  log: log.warn,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => lifecycle.signal(signal));
// Without a --config file there is nothing to reload: SIGHUP keeps its default (the process ends,
// as when its terminal closes) and SIGUSR1 Node's (the inspector).
if (configPathOf(argv) !== undefined)
  for (const signal of ['SIGHUP', 'SIGUSR1'] as const)
    process.on(signal, () => {
      if (reloader && lifecycle.state === 'serving') void reloader.request(signal);
      else log.warn(`${signal}: not serving yet, nothing reloaded`);
    });

try {
  const readText = (p: string) => readFileSync(p, 'utf8');
  const command = containerCommandFromArgs(argv, readText);
  // --help, --version, --validate: print and exit 0; a bad configuration exits 2 below.
  // --validate reads the files block plugins name, as start-up does (container-block-sources.ts).
  if (command.action === 'validate' && command.config.servers)
    checkSourceFiles(command.config.servers);
  // ... and the DoH JWT key file (container-doh-auth.ts).
  if (command.action === 'validate') containerDohAuth(command.config);
  if (command.action !== 'run') {
    console.log('text' in command ? command.text : 'ok');
    process.exit(0);
  }
  const config = command.config;
  logs = new ContainerLogs(config);
  // Metrics (CoreDNS `prometheus`) and the query log watch every query.
  observers = containerObservers(config, [logs.observer]);
  const source = configPathOf(argv);
  const path = source?.path;
  // A Corefile is compared with its imports (container-corefile.ts corefileTexts).
  const textOf = (p: string) =>
    source?.flag === 'corefile' ? corefileTexts(p, readText) : readText(p);
  // The file as this configuration was read from it: the reload's first hash.
  const text = path === undefined ? '' : textOf(path);
  server = await ContainerServer.start(config, {
    log,
    notReady: () => lifecycle.notReady(),
    observers,
  });
  const started = server;
  const metrics = await observers.serve(
    () => started.generation,
    () => started.admission,
  );
  if (metrics) console.log(`edge-dns metrics on http://${at(metrics.address)}/metrics`);
  const { udp, tcp } = server.listeners.dns;
  const { store, live } = server.generation.records;
  const doh = server.listeners.doh;
  const name = `kubernetes.default.svc.${config.kubernetes.zones[0]}`;
  if (doh)
    console.log(
      `edge-dns DoH on ${doh.url}/dns-query (try: curl '${doh.url}/resolve?name=${name}&type=A')`,
    );
  const dot = server.listeners.dot;
  if (dot)
    console.log(
      `edge-dns DoT on tls://${at(dot.address)} (try: kdig @${dot.address.host} -p ${dot.address.port} +tls ${name})`,
    );
  for (const [key, site] of probeAddresses(config)) {
    const probes = server.listeners.probes.get(key);
    if (probes)
      console.log(`edge-dns probes on http://${at(probes.address)}${site.paths.join(' and ')}`);
  }
  const dns = `udp://${at(udp.address)} and tcp://${at(tcp.address)}`;
  if (live) {
    console.log(
      `edge-dns listening on ${dns}: SERVFAIL until the first list of ${live.server} completes`,
    );
    await live.start();
    await live.publish();
  }
  // Our own warm-up queries are not counted or logged.
  // The warm-up is ours: neither observed nor limited nor counted by the ACL.
  await observers.unobserved(() => warmUpUdp(udp.address, warmUpQueries(store.names())));
  server.admit();
  server.ctx.answerCache?.clear();
  if (path !== undefined) {
    const running = server;
    // The flags are laid over the new file as at start: they keep overriding it. A Corefile is
    // read again with its imports.
    const configFrom = (next: string) => {
      const read =
        source?.flag === 'corefile' ? readText : (p: string) => (p === path ? next : readText(p));
      const c = containerCommandFromArgs(argv, read);
      if (!('config' in c)) throw new Error(`${path}: not a configuration`);
      return c.config;
    };
    reloader = new Reloader(
      {
        path,
        read: async (p) => (source?.flag === 'corefile' ? textOf(p) : readFile(p, 'utf8')),
        apply: (next, signalled) => running.reload(configFrom(next), signalled),
        intervalMs: config.reload.interval,
        jitterMs: config.reload.jitter,
        active: () => lifecycle.state === 'serving',
        failed: (why) => {
          observers?.reloadFailed();
          log.warn(`reload of ${path} failed, keeping the running configuration:\n${why}`);
        },
        // A rotated certificate reloads too, and the reload reads it again.
        watched: async () => certificatesText(running.config),
        reloaded: (summary) => {
          reloader?.setInterval(running.config.reload.interval, running.config.reload.jitter);
          logs?.reconfigure(running.config);
          console.log(`edge-dns reloaded ${summary}`);
        },
      },
      text,
      await certificatesText(config),
    );
    reloader.start();
  }
  lifecycle.serving();
  // CoreDNS `loop`: probe our own address through every block that has it (container-loop.ts).
  const loops = server.generation.blocks?.loops ?? [];
  if (loops.length > 0) void probeLoops(loops, udp.address);
  console.log(
    `edge-dns ready: ${store.size} names on ${dns}` +
      ` (try: dig @${udp.address.host} -p ${udp.address.port} ${name})`,
  );
} catch (error) {
  console.error(`edge-dns: ${(error as Error).message}`);
  process.exit(2);
}

/** The TLS listeners' certificate files as one text (an unreadable one as its error). */
async function certificatesText(config: Parameters<typeof certificateFiles>[0]): Promise<string> {
  const texts = await Promise.all(
    certificateFiles(config).map((f) => readFile(f, 'utf8').catch((e: Error) => e.message)),
  );
  return texts.join('\0');
}
