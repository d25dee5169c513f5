// The container's process plugins that watch queries (docs/architecture.md §7): Prometheus metrics
// (CoreDNS `prometheus`, functions/metrics/) and whatever other observers the entry passes in
// (the query log), composed into the one QueryObserver the listeners are given, and the /metrics
// server. Parts are read at scrape time from the running generation, so a reload's new answer
// cache and forwarder are what is scraped.
import { serveMetrics, type MetricsServer } from '../../common/metrics/metrics-server.ts';
import { splitHostPort } from '../../common/config/fields.ts';
import { programVersion } from '../../common/config/version.ts';
import type { PoolOptions } from '../forward/upstream-pool.ts';
import { mergedCounters } from '../forward/forward-counters.ts';
import type { ServerKind } from '../metrics/dns-metrics.ts';
import { containerMetrics, type ContainerMetrics } from '../metrics/metrics-registry.ts';
import type { RecordsState } from '../metrics/records-metrics.ts';
import { allObservers, type QueryObserver } from '../observe/query-observer.ts';
import type { ContainerConfig } from './container-config.ts';
import type { Generation } from './container-generation.ts';
import type { RecordsHooks } from './container-records.ts';
import type { Admission } from './container-admission.ts';

/** What the listeners need: the observer of their queries and where to say they were bound. */
export interface ListenerObservers {
  /** Every query observer composed; undefined when none is on (the handlers stay unwrapped). */
  readonly observer: QueryObserver | undefined;
  /** A listener was bound: the `server` label of its queries (`dns://HOST:PORT`, `https://...`). */
  listening(kind: ServerKind, address: { host: string; port: number }): void;
}

export interface ContainerObservers extends ListenerObservers {
  /** For every forward pool (forward/upstream-pool.ts). */
  readonly poolHooks: Pick<PoolOptions, 'onReply'>;
  /** For every generation's records (the live source's DNS programming latency). */
  readonly recordsHooks: RecordsHooks;
  /** Serves GET /metrics when `metrics.listen` is set; parts are read from `generation()` and
   *  `admission()` (the rate limit's and ACL's counts). */
  serve(
    generation: () => Generation | undefined,
    admission?: () => Admission | undefined,
  ): Promise<MetricsServer | undefined>;
  /** Counts a reload that kept the running configuration (coredns_reload_failed_total). */
  reloadFailed(): void;
  /** Runs `work` (the start-up warm-up queries) with observers told nothing. */
  unobserved<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The forwarders' counters: the `forward` key's, or every Corefile block's summed. */
const forwardCounters = (g: Generation | undefined) =>
  g?.blocks ? mergedCounters(g.blocks.forwarders.map((f) => f.counters)) : g?.forward?.counters;

export function containerObservers(
  config: Pick<ContainerConfig, 'metrics'>,
  /** Other query observers (the query log); undefined entries are skipped. */
  others: readonly (QueryObserver | undefined)[] = [],
): ContainerObservers {
  let generation: () => Generation | undefined = () => undefined;
  let admission: () => Admission | undefined = () => undefined;
  const metrics: ContainerMetrics | undefined =
    config.metrics.listen === undefined
      ? undefined
      : containerMetrics({
          legacyNames: config.metrics.legacyNames,
          build: { version: programVersion(), revision: process.env.EDGE_DNS_REVISION ?? '' },
          now: Date.now,
          sources: {
            answerCache: () => generation()?.ctx.answerCache,
            forwardCache: () => forwardCounters(generation()),
            pools: () => Object.values(forwardCounters(generation())?.pools ?? {}),
            records: () => recordsState(generation()),
            acl: () => admission()?.aclCounts,
            ratelimit: () => admission()?.limiter?.counts,
          },
        });
  const composed = allObservers([
    ...(metrics ? [metrics.dns] : []),
    ...others.filter((o): o is QueryObserver => o !== undefined),
  ]);
  let paused = 0;
  let server: MetricsServer | undefined;
  return {
    observer: composed && { observe: (q) => paused === 0 && composed.observe(q) },
    listening: (kind, address) =>
      metrics?.dns.setServer(
        kind,
        `${kind === 'dns' ? 'dns' : 'https'}://${hostPortText(address)}`,
      ),
    poolHooks: metrics ? { onReply: metrics.onUpstreamReply } : {},
    recordsHooks: metrics ? { programmed: metrics.programmed } : {},
    async serve(read, admitting) {
      generation = read;
      if (admitting) admission = admitting;
      if (!metrics || config.metrics.listen === undefined) return undefined;
      const { host, port } = splitHostPort(config.metrics.listen);
      server = await serveMetrics(host, port, metrics.registry);
      return server;
    },
    reloadFailed: () => metrics?.reloadFailed(),
    async unobserved(work) {
      paused++;
      try {
        return await work();
      } finally {
        paused--;
      }
    },
    close: async () => server?.close(),
  };
}

/** `[::1]:53` or `127.0.0.1:53`. */
const hostPortText = (a: { host: string; port: number }) =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

/** The records' state for edge_dns_* series; an empty state before the first generation. */
function recordsState(g: Generation | undefined): RecordsState {
  if (!g) return { version: 0, names: 0, changedAtMs: 0, state: 'snapshot', lastKnownGood: false };
  const { store, live } = g.records;
  const synced = live?.watch.isSynced() ?? true;
  // Synced once, and a watched kind's stream is down now: the last known good records serve.
  const away =
    live !== undefined &&
    synced &&
    Object.values(live.watch.status()).some((s) => s.watched && !s.connected);
  return {
    version: store.version,
    names: store.synced ? store.size : 0,
    changedAtMs: g.records.changedAt(),
    state: !live ? 'snapshot' : synced ? 'synced' : 'watching',
    lastKnownGood: away,
  };
}
