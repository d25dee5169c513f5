// The in-cluster server: config -> records (a snapshot, or the live cluster) -> memory store ->
// UDP + TCP :53, DoH (RFC 8484 and JSON) and /health + /ready (docs/architecture.md §1).
import { readFileSync } from 'node:fs';
import { AnswerCache } from '../core/answer-cache.ts';
import type { ResolverContext } from '../core/resolver.ts';
import { warmUpQueries } from '../core/warm-up.ts';
import { kubernetesZone } from '../core/zone.ts';
import { warmUpUdp } from '../dns53/warm-up.ts';
import { configFromArgs } from './container-flags.ts';
import { forwarderFromConfig } from './container-forwarder.ts';
import { serveDns, serveDohFrom, serveProbesFrom } from './container-listeners.ts';
import { containerRecords } from './container-records.ts';

const log = { warn: (m: string) => console.error(`edge-dns: ${m}`) };
const at = (a: { host: string; port: number }) =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

// SIGTERM at any point, start-up included, closes what is open and exits 0.
const closers: (() => unknown)[] = [];
const stop = () =>
  void Promise.allSettled(closers.map((close) => close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  const config = configFromArgs(process.argv.slice(2), (path) => readFileSync(path, 'utf8'));
  const k8s = config.kubernetes;
  const { store, live } = await containerRecords(config, log.warn);
  const forward = forwarderFromConfig(config.forward, config.cache, log.warn);
  if (forward) closers.push(() => forward.close());
  // `now` ages the forwarded answers the answer cache keeps (core/answer-cache.ts).
  const ctx = {
    store,
    answerCache: new AnswerCache(),
    now: Date.now,
    zones: k8s.zones.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses)),
    ...(forward && { forward }),
  } satisfies ResolverContext;
  const { udp, tcp } = await serveDns(config.dns, ctx, log);
  closers.push(
    () => udp.close(),
    () => tcp.close(),
    () => live?.stop(),
  );
  const doh = await serveDohFrom(config.doh, ctx);
  if (doh) closers.push(() => doh.close());
  const name = `kubernetes.default.svc.${k8s.zones[0]}`;
  if (doh)
    console.log(
      `edge-dns DoH on ${doh.url}/dns-query (try: curl '${doh.url}/resolve?name=${name}&type=A')`,
    );
  const notReady = () => live?.notReady() ?? (store.synced ? undefined : 'records not loaded yet');
  const probes = await serveProbesFrom(config.health, { notReady });
  if (probes) closers.push(() => probes.close());
  if (probes) console.log(`edge-dns probes on http://${at(probes.address)}/health and /ready`);
  const dns = `udp://${at(udp.address)} and tcp://${at(tcp.address)}`;
  if (live) {
    console.log(
      `edge-dns listening on ${dns}: SERVFAIL until the first list of ${live.server} completes`,
    );
    await live.start();
    await live.publish();
  }
  await warmUpUdp(udp.address, warmUpQueries(store.names()));
  ctx.answerCache.clear();
  console.log(
    `edge-dns ready: ${store.size} names on ${dns}` +
      ` (try: dig @${udp.address.host} -p ${udp.address.port} ${name})`,
  );
} catch (error) {
  console.error(`edge-dns: ${(error as Error).message}`);
  process.exit(2);
}
