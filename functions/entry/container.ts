// The in-cluster server: config -> snapshot -> records -> memory store -> UDP + TCP :53.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { configFromArgs } from '../config/container-flags.ts';
import { splitHostPort } from '../config/container-config.ts';
import { kubernetesZone } from '../core/zone.ts';
import { resolveNow } from '../core/resolver.ts';
import { AnswerCache } from '../core/answer-cache.ts';
import { warmUpQueries } from '../core/warm-up.ts';
import { warmUpUdp } from '../dns53/warm-up.ts';
import { MemoryStore } from '../store/memory.ts';
import { serveDns53 } from '../dns53/serve.ts';
import { defaultTcpLimits } from '../dns53/tcp.ts';
import { readSnapshots } from '../../sync/snapshot/read.ts';
import { buildCluster } from '../../sync/build/cluster.ts';

const log = { warn: (m: string) => console.error(`edge-dns: ${m}`) };
try {
  const config = configFromArgs(process.argv.slice(2), (path) => readFileSync(path, 'utf8'));
  const k8s = config.kubernetes;
  const objects = readSnapshots(config.snapshots);
  const store = new MemoryStore();
  store.replaceAll(buildCluster(objects, k8s).values(), Math.floor(Date.now() / 1000));
  // One full collection now: the snapshot's garbage (several times the records' size) would
  // otherwise be marked during serving, in pauses of tens of milliseconds.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const ctx = { store, answerCache: new AnswerCache(), zones: k8s.zones.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses)) };
  const handle = (message: Buffer, transport: 'udp' | 'tcp') => resolveNow(message, transport, ctx);
  const { host, port } = splitHostPort(config.dns.listen);
  const { udp, tcp } = await serveDns53(host, port, handle, log, { ...defaultTcpLimits, ...config.dns.tcp });
  await warmUpUdp(udp.address, warmUpQueries(store.names()));
  ctx.answerCache.clear();
  const at = (a: { host: string; port: number }) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);
  console.log(
    `edge-dns ready: ${store.size} names on udp://${at(udp.address)} and tcp://${at(tcp.address)}` +
      ` (try: dig @${udp.address.host} -p ${udp.address.port} kubernetes.default.svc.${k8s.zones[0]})`,
  );
  const stop = () => void Promise.all([udp.close(), tcp.close()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`edge-dns: ${(error as Error).message}`);
  process.exit(2);
}
