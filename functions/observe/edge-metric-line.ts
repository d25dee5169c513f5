// One log line per DoH request at the edge (functions/entry/README.md "Metric lines"): the values
// the container exports as CoreDNS series, under the same names, for a runtime with no scrape.
// `emf`: CloudWatch Embedded Metric Format (Lambda: CloudWatch turns the line into metrics);
// `json`: the same members without the `_aws` block (Workers Logs, Logpush). Pure and edge-safe.
import type { ObservedQuery } from './query-observer.ts';
import { rcodeLabel, typeLabel } from './message-labels.ts';

export type MetricLineFormat = 'emf' | 'json';

/** A request as the edge app saw it, with its share of the per-instance cache's counters. */
export interface EdgeObservedQuery extends Pick<ObservedQuery, 'query' | 'durationMs'> {
  reply: Uint8Array;
  /** Lookups answered by the cache, lookups that waited for DynamoDB, DynamoDB reads started. */
  cache: { hits: number; misses: number; reads: number };
}

export interface MetricLineContext {
  /** The cluster id served (EDGE_DNS_CLUSTER): a dimension of every metric. */
  cluster: string;
  /** Share of requests that get a line (0..1]; counts are divided by it, so sums stay estimates
   *  of the totals. */
  sampleRate: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** CloudWatch namespace of the metrics. */
export const METRIC_NAMESPACE = 'edge-dns';

const metric = (Name: string, Unit: string) => ({ Name, Unit });

/** The EMF directives: which members are metrics, their units, and the dimensions of each. */
const DIRECTIVES = [
  {
    Namespace: METRIC_NAMESPACE,
    Dimensions: [['cluster', 'type']],
    Metrics: [
      metric('coredns_dns_requests_total', 'Count'),
      metric('coredns_dns_request_duration_seconds', 'Seconds'),
    ],
  },
  {
    Namespace: METRIC_NAMESPACE,
    Dimensions: [['cluster', 'rcode']],
    Metrics: [metric('coredns_dns_responses_total', 'Count')],
  },
  {
    Namespace: METRIC_NAMESPACE,
    Dimensions: [['cluster']],
    Metrics: [
      metric('coredns_dns_request_size_bytes', 'Bytes'),
      metric('coredns_dns_response_size_bytes', 'Bytes'),
      metric('coredns_cache_hits_total', 'Count'),
      metric('coredns_cache_misses_total', 'Count'),
      metric('edge_dns_dynamodb_reads_total', 'Count'),
    ],
  },
];

/** The line's members besides `_aws`: dimensions and other labels as text, metrics as numbers. */
export function metricMembers(q: EdgeObservedQuery, c: MetricLineContext): Record<string, unknown> {
  const weight = 1 / c.sampleRate;
  return {
    cluster: c.cluster,
    proto: 'https',
    type: typeLabel(q.query),
    rcode: rcodeLabel(q.reply),
    coredns_dns_requests_total: weight,
    coredns_dns_responses_total: weight,
    coredns_dns_request_duration_seconds: q.durationMs / 1000,
    coredns_dns_request_size_bytes: q.query.length,
    coredns_dns_response_size_bytes: q.reply.length,
    coredns_cache_hits_total: q.cache.hits * weight,
    coredns_cache_misses_total: q.cache.misses * weight,
    edge_dns_dynamodb_reads_total: q.cache.reads * weight,
    sample_rate: c.sampleRate,
  };
}

/** One line, without a newline: `emf` as the EMF specification lays it out, or `json`. */
export function edgeMetricLine(
  format: MetricLineFormat,
  q: EdgeObservedQuery,
  c: MetricLineContext,
): string {
  const members = metricMembers(q, c);
  return JSON.stringify(
    format === 'emf'
      ? { _aws: { Timestamp: c.timestamp, CloudWatchMetrics: DIRECTIVES }, ...members }
      : { timestamp: c.timestamp, ...members },
  );
}
