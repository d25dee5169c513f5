// Every series the container exports, in one prom-client registry: the query metrics (the
// QueryObserver), the cache, forward, kubernetes, process and records series. Parts are read through
// functions, so what a reload swaps in (a new answer cache, new forwarders) is what is scraped.
import { Registry } from 'prom-client';
import { registerAdmissionMetrics, type AdmissionSources } from './admission-metrics.ts';
import { registerCacheMetrics, type CacheSources } from './cache-metrics.ts';
import { registerFamilies } from './counter-vec.ts';
import { DnsMetrics } from './dns-metrics.ts';
import { registerForwardMetrics, type PoolSource } from './forward-metrics.ts';
import { registerKubernetesMetrics } from './kubernetes-metrics.ts';
import { registerProcessMetrics, type BuildInfo } from './process-metrics.ts';
import { registerRecordsMetrics, type RecordsState } from './records-metrics.ts';

export interface MetricsSources {
  answerCache: CacheSources['answerCache'];
  forwardCache: CacheSources['forwardCache'];
  /** The forward pools' stats (none without forwarding). */
  pools(): readonly PoolSource[];
  records(): RecordsState;
  acl: AdmissionSources['acl'];
  ratelimit: AdmissionSources['ratelimit'];
}

export interface ContainerMetrics {
  registry: Registry;
  /** The QueryObserver of every query (port 53 and DoH). */
  dns: DnsMetrics;
  /** For the forward pools' onReply option (forward/upstream-pool.ts). */
  onUpstreamReply(upstream: string, rcode: number, durationMs: number): void;
  /** Counts a failed reload (coredns_reload_failed_total). */
  reloadFailed(): void;
  /** For the live source: an EndpointSlice change served, seconds after its trigger time. */
  programmed(serviceKind: string, seconds: number): void;
}

export function containerMetrics(o: {
  /** Also export the pre-1.7 CoreDNS names (metrics.legacyNames). */
  legacyNames: boolean;
  build: BuildInfo;
  sources: MetricsSources;
  /** Unix ms, for the age of the records. */
  now: () => number;
}): ContainerMetrics {
  const registry = new Registry();
  const dns = new DnsMetrics({ legacyNames: o.legacyNames });
  registerFamilies(registry, dns.families);
  registerCacheMetrics(registry, {
    server: () => dns.server('dns'),
    answerCache: o.sources.answerCache,
    forwardCache: o.sources.forwardCache,
  });
  registerAdmissionMetrics(registry, {
    server: () => dns.server('dns'),
    acl: o.sources.acl,
    ratelimit: o.sources.ratelimit,
  });
  const forward = registerForwardMetrics(registry, o.sources.pools);
  const reloadFailed = registerProcessMetrics(registry, o.build);
  registerRecordsMetrics(registry, o.sources.records, o.now);
  const programmed = registerKubernetesMetrics(registry);
  return { registry, dns, onUpstreamReply: forward.onReply, reloadFailed, programmed };
}
