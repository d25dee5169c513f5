// CoreDNS `kubernetes` plugin series: coredns_kubernetes_dns_programming_duration_seconds, the
// time from an EndpointSlice's change (its last-change-trigger-time annotation) to the records
// built from it being served, told by the live source (sync/live/programming-latency.ts).
import type { Registry } from 'prom-client';
import { Dimensions, registerFamilies } from './counter-vec.ts';
import { HistogramVec, exponentialBuckets } from './histogram-vec.ts';

/** CoreDNS's `service_kind` values; it observes `headless_with_selector` only, and so does edge-dns. */
export const SERVICE_KINDS = ['cluster_ip', 'headless_with_selector', 'headless_without_selector'];

/** CoreDNS: ExponentialBuckets(0.001, 2, 20), 1 ms to about 17 minutes. */
export const PROGRAMMING_BUCKETS = exponentialBuckets(0.001, 2, 20);

/** Registers the series; returns what the live source tells of each programmed change. */
export function registerKubernetesMetrics(
  registry: Registry,
): (kind: string, seconds: number) => void {
  const duration = new HistogramVec(
    'coredns_kubernetes_dns_programming_duration_seconds',
    'Histogram of the time (in seconds) it took to program a dns instance.',
    new Dimensions(['service_kind'], [SERVICE_KINDS]),
    PROGRAMMING_BUCKETS,
  );
  registerFamilies(registry, [duration]);
  return (kind, seconds) => {
    const cell = SERVICE_KINDS.indexOf(kind);
    if (cell >= 0) duration.observe(cell, seconds);
  };
}
