// The edge's per-request metric lines (functions/entry/README.md "Metric lines"), wired around the
// resolve function the DoH app calls: a sampled request resolves against a view of the instance
// cache that counts its own hits, misses and DynamoDB reads, then one line goes to the log
// (functions/observe/edge-metric-line.ts). Requests not sampled cost one random number.
import type { ResolverContext } from '../core/resolver.ts';
import type { CachedStore, LookupTally } from '../store/cached.ts';
import { servfail } from '../doh/servfail.ts';
import { edgeMetricLine } from '../observe/edge-metric-line.ts';
import type { EdgeConfig, EdgeMetricsFormat } from './edge-config.ts';

export interface EdgeMetricsOptions {
  /** The format when EDGE_DNS_METRICS is unset: lambda.ts `emf`, workers.ts `json`. */
  defaultFormat: EdgeMetricsFormat;
  /** Where a line goes (console.log: CloudWatch Logs, Workers Logs). */
  write?: (line: string) => void;
  /** [0, 1), for sampling (Math.random). */
  random?: () => number;
}

type Resolve = (query: Uint8Array, ctx: ResolverContext) => Promise<Uint8Array | null>;

/**
 * `resolve` with a line for each sampled request, or `resolve` itself when the lines are off. A
 * request whose resolver throws is logged as the SERVFAIL the app answers.
 */
export function withMetricLines(
  resolve: Resolve,
  store: CachedStore,
  config: Pick<EdgeConfig, 'cluster' | 'metrics'>,
  options: EdgeMetricsOptions | undefined,
  now: () => number,
): Resolve {
  const format = config.metrics?.format ?? options?.defaultFormat ?? 'off';
  const sampleRate = config.metrics?.sampleRate ?? 1;
  if (format === 'off' || sampleRate === 0) return resolve;
  const write = options?.write ?? ((line: string) => console.log(line));
  const random = options?.random ?? Math.random;
  const clock = () => performance.now();
  return async (query, ctx) => {
    if (!(random() < sampleRate)) return resolve(query, ctx);
    const cache: LookupTally = { hits: 0, misses: 0, reads: 0 };
    const started = clock();
    const tell = (reply: Uint8Array | null) => {
      if (reply)
        write(
          edgeMetricLine(
            format,
            { query, reply, durationMs: clock() - started, cache },
            { cluster: config.cluster, sampleRate, timestamp: now() },
          ),
        );
    };
    let reply: Uint8Array | null;
    try {
      reply = await resolve(query, { ...ctx, store: store.tallied(cache) });
    } catch (error) {
      tell(servfail(query));
      throw error;
    }
    tell(reply);
    return reply;
  };
}
