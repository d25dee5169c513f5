// The counters of several forwarders as one (a Corefile's blocks each have their own): CoreDNS
// reports one `coredns_cache_*` and `coredns_forward_*` family per process, summed over blocks.
import type { ForwardCounters } from './forward-zones.ts';

/** Every numeric field summed, nested objects too; pools kept apart (`. #2` for a second `.`). */
export function mergedCounters(list: readonly ForwardCounters[]): ForwardCounters | undefined {
  if (list.length <= 1) return list[0];
  const pools: ForwardCounters['pools'] = {};
  for (const counters of list)
    for (const [zone, stats] of Object.entries(counters.pools)) {
      let key = zone;
      for (let n = 2; key in pools; n++) key = `${zone} #${n}`;
      pools[key] = stats;
    }
  return {
    cache: sum(list.map((c) => c.cache)),
    cacheSizes: sum(list.map((c) => c.cacheSizes)),
    pools,
  };
}

function sum<T>(items: readonly T[]): T {
  const out: Record<string, unknown> = {};
  for (const item of items)
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (typeof value === 'number') out[key] = ((out[key] as number | undefined) ?? 0) + value;
      else if (value && typeof value === 'object')
        out[key] = sum([out[key] ?? {}, value].filter((v) => Object.keys(v).length > 0));
    }
  return out as T;
}
