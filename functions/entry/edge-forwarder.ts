// The edge's forwarder (Lambda, Workers): names outside the zones go to the configured DoH
// upstreams (EDGE_DNS_FORWARD; the edge has no UDP) through a forward cache that lives as long as
// the instance or isolate. No timers: a down upstream is retried inline (upstream-pool.ts).
import type { EdgeConfig } from './edge-config.ts';
import { ForwardZones } from '../forward/forward-zones.ts';
import { DohUpstream } from '../forward/upstream-doh.ts';
import { UpstreamPool } from '../forward/upstream-pool.ts';
import { EDGE_DEADLINE_MS, edgeBudgets, type EdgeBudgets } from './edge-deadline.ts';

/** Retry a down upstream at most this often; one query pays for the retry (a timeout at worst). */
const EDGE_RETRY_MS = 10_000;
/** Smaller than the container's: an instance serves one client population for minutes to hours. */
const EDGE_CACHE_ENTRIES = 4096;

export function edgeForwarder(
  forward: EdgeConfig['forward'],
  now: () => number = Date.now,
  fetch?: (request: Request) => Promise<Response>,
  /** Per upstream and per query, inside the request's deadline (edge-deadline.ts). */
  budget: EdgeBudgets['forward'] = edgeBudgets(EDGE_DEADLINE_MS).forward,
): ForwardZones | undefined {
  if (!forward) return undefined;
  const upstreams = forward.upstreams.map(
    (url) => new DohUpstream({ url, timeoutMs: budget.timeoutMs, ...(fetch && { fetch }) }),
  );
  const pool = new UpstreamPool({
    upstreams,
    policy: forward.policy,
    deadlineMs: budget.deadlineMs,
    probe: 'inline',
    healthCheckMs: EDGE_RETRY_MS,
    now,
  });
  return new ForwardZones(
    [{ zone: '', pool }],
    { success: { capacity: EDGE_CACHE_ENTRIES }, denial: { capacity: EDGE_CACHE_ENTRIES } },
    now,
  );
}
