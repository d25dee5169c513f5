// CoreDNS `forward` series: each upstream reply's duration and rcode (told by the pool's onReply,
// forward/upstream-pool.ts), health-check failures and max_concurrent rejects (read at scrape
// time from the pools' stats). The `to` label is the upstream's address as CoreDNS writes it
// (`10.0.0.10:53`); DoH upstreams keep their URL.
import { Counter, type Registry } from 'prom-client';
import { Dimensions, registerFamilies } from './counter-vec.ts';
import { HistogramVec, TIME_BUCKETS } from './histogram-vec.ts';
import { RCODE_COUNT, rcodeNames } from '../observe/message-labels.ts';

export interface PoolSource {
  probeFailures: Record<string, number>;
  refusedOverLimit: number;
}

/** `udp://10.0.0.10:53` and `tcp://10.0.0.10:53` -> `10.0.0.10:53`. */
export const upstreamLabel = (name: string): string => name.replace(/^(udp|tcp):\/\//, '');

export interface ForwardMetrics {
  /** For the pools' onReply option. */
  onReply(upstream: string, rcode: number, durationMs: number): void;
}

export function registerForwardMetrics(
  registry: Registry,
  pools: () => readonly PoolSource[],
): ForwardMetrics {
  const upstreams: string[] = [];
  const index = new Map<string, number>();
  const rcodes = [...rcodeNames, 'other'];
  const duration = new HistogramVec(
    'coredns_proxy_request_duration_seconds',
    'Histogram of the time each request took.',
    // `to` first: the dimension that grows (counter-vec.ts Dimensions).
    new Dimensions(['to', 'rcode', 'proxy_name'], [upstreams, rcodes, ['forward']]),
    TIME_BUCKETS,
  );
  registerFamilies(registry, [duration]);
  new Counter({
    name: 'coredns_forward_healthcheck_failures_total',
    help: 'Counter of the number of failed healthchecks.',
    labelNames: ['to'],
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of pools())
        for (const [name, n] of Object.entries(pool.probeFailures))
          this.inc({ to: upstreamLabel(name) }, n);
    },
  });
  new Counter({
    name: 'coredns_forward_max_concurrent_rejects_total',
    help: 'Counter of the number of queries rejected because the concurrent queries were at maximum.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(pools().reduce((n, p) => n + p.refusedOverLimit, 0));
    },
  });
  return {
    onReply(upstream, rcode, durationMs) {
      let to = index.get(upstream);
      if (to === undefined) {
        const label = upstreamLabel(upstream);
        to = upstreams.includes(label) ? upstreams.indexOf(label) : upstreams.push(label) - 1;
        index.set(upstream, to);
      }
      duration.observe(to * rcodes.length + Math.min(rcode, RCODE_COUNT), durationMs / 1000);
    },
  };
}
