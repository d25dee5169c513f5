// The in-cluster server: config -> records (a snapshot, or the live cluster) -> memory store ->
// UDP + TCP :53, DoH (RFC 8484 and JSON) and /health + /ready.
import { readFileSync } from 'node:fs';
import { configFromArgs } from '../config/container-flags.ts';
import { splitHostPort, type ContainerConfig } from '../config/container-config.ts';
import { kubernetesZone } from '../core/zone.ts';
import { resolve, resolveNow } from '../core/resolver.ts';
import { AnswerCache } from '../core/answer-cache.ts';
import { warmUpQueries } from '../core/warm-up.ts';
import { warmUpUdp } from '../dns53/warm-up.ts';
import { MemoryStore } from '../store/memory.ts';
import { MemoryWriter, memoryNodeHash } from '../store/memory-writer.ts';
import { loadPacked, loaderHeapMb } from '../store/packed-loader.ts';
import { dohApp } from '../doh/app.ts';
import { serveDoh } from '../doh/node-server.ts';
import { wireGetFastPath } from '../doh/node-fast-path.ts';
import { serveDns53 } from '../dns53/serve.ts';
import { defaultTcpLimits } from '../dns53/tcp.ts';
import { serveProbes } from '../health/probe-server.ts';
import { forwarderFromConfig } from '../forward/forward-from-config.ts';
import type { LiveSync } from '../../sync/live/live-sync.ts';

const log = { warn: (m: string) => console.error(`edge-dns: ${m}`) };
const serial = () => Math.floor(Date.now() / 1000);
const at = (a: { host: string; port: number }) =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

/** The live source: the kubeconfig file's cluster, or the one this pod runs in. Loaded only then:
 * client-node costs ~5 MB of heap, a third of what a server of the sample cluster holds. */
async function liveSync(
  k8s: ContainerConfig['kubernetes'],
  store: MemoryStore,
): Promise<LiveSync | undefined> {
  if (!k8s.inCluster && k8s.kubeconfig === undefined) return undefined;
  const [{ LiveSync }, { loadKubeConfig }] = await Promise.all([
    import('../../sync/live/live-sync.ts'),
    import('../../sync/live/kube-config.ts'),
  ]);
  const kubeConfig = loadKubeConfig(k8s);
  return new LiveSync({
    kubeConfig,
    build: k8s,
    writer: new MemoryWriter(store, serial),
    hash: memoryNodeHash,
    log: log.warn,
  });
}

// SIGTERM at any point, start-up included, closes what is open and exits 0.
const closers: (() => unknown)[] = [];
const stop = () =>
  void Promise.allSettled(closers.map((close) => close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  const config = configFromArgs(process.argv.slice(2), (path) => readFileSync(path, 'utf8'));
  const k8s = config.kubernetes;
  const store = new MemoryStore();
  const live = await liveSync(k8s, store);
  // The bundle has a twin container-loader.mjs; from source (tsx) the .ts loader runs.
  const loader = new URL(
    import.meta.url.endsWith('.ts') ? './container-loader.ts' : './container-loader.mjs',
    import.meta.url,
  );
  if (!live)
    store.replaceAllPacked(
      await loadPacked(
        loader,
        { snapshots: config.snapshots, kubernetes: k8s },
        loaderHeapMb(config.snapshots),
      ),
      serial(),
    );
  const forward = forwarderFromConfig(config.forward, config.cache, log.warn);
  if (forward) closers.push(() => forward.close());
  // `now` ages the forwarded answers the answer cache keeps (core/answer-cache.ts).
  const ctx = {
    store,
    answerCache: new AnswerCache(),
    now: Date.now,
    zones: k8s.zones.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses)),
    ...(forward && { forward }),
  };
  const handle = (message: Buffer, transport: 'udp' | 'tcp') => resolveNow(message, transport, ctx);
  const { host, port } = splitHostPort(config.dns.listen);
  const { udp, tcp } = await serveDns53(host, port, handle, log, {
    ...defaultTcpLimits,
    ...config.dns.tcp,
  });
  closers.push(
    () => udp.close(),
    () => tcp.close(),
    () => live?.stop(),
  );
  const tls =
    config.doh.cert && config.doh.key
      ? { cert: readFileSync(config.doh.cert), key: readFileSync(config.doh.key) }
      : undefined;
  const fastPath = wireGetFastPath((q) => resolveNow(q, 'https', ctx));
  const doh = config.doh.listen
    ? await serveDoh(dohApp({ resolve: (q) => resolve(q, 'https', ctx) }).fetch, {
        ...splitHostPort(config.doh.listen),
        tls,
        fastPath,
      })
    : undefined;
  if (doh) closers.push(() => doh.close());
  if (doh)
    console.log(
      `edge-dns DoH on ${doh.url}/dns-query (try: curl '${doh.url}/resolve?name=kubernetes.default.svc.${k8s.zones[0]}&type=A')`,
    );
  const notReady = () => live?.notReady() ?? (store.synced ? undefined : 'records not loaded yet');
  const probes = config.health.listen
    ? await serveProbes(
        ...(Object.values(splitHostPort(config.health.listen)) as [string, number]),
        { notReady },
      )
    : undefined;
  if (probes) closers.push(() => probes.close());
  if (probes) console.log(`edge-dns probes on http://${at(probes.address)}/health and /ready`);
  if (live) {
    console.log(
      `edge-dns listening on udp://${at(udp.address)} and tcp://${at(tcp.address)}: SERVFAIL until the first list of ${live.server} completes`,
    );
    await live.start();
    await live.publish();
  }
  await warmUpUdp(udp.address, warmUpQueries(store.names()));
  ctx.answerCache.clear();
  console.log(
    `edge-dns ready: ${store.size} names on udp://${at(udp.address)} and tcp://${at(tcp.address)}` +
      ` (try: dig @${udp.address.host} -p ${udp.address.port} kubernetes.default.svc.${k8s.zones[0]})`,
  );
} catch (error) {
  console.error(`edge-dns: ${(error as Error).message}`);
  process.exit(2);
}
