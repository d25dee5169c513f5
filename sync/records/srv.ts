// SRV rdata as CoreDNS plugin.SRV (plugin/backend_lookup.go) computes it for the kubernetes plugin.
import type { SrvData } from '../../functions/core/record.ts';

/** One msg.Service the kubernetes plugin returns for an SRV question: a port and its target. */
export interface SrvEntry {
  /** -1 is CoreDNS's sentinel for "no ports": counted in the weights, never answered. */
  port: number;
  target: string;
}

/**
 * CoreDNS gives every entry priority 0 and weight floor(100/n) (at least 1), n = all entries of
 * that priority, including sentinels and entries later dropped as duplicates; then it keeps one
 * record per (target, port). The float expression is Go's, so results match to the bit.
 */
export function srvRecords(entries: readonly SrvEntry[]): SrvData[] {
  const n = entries.length;
  if (n === 0) return [];
  const weight = Math.max(1, Math.floor((100 / (100 * n)) * 100));
  const seen = new Set<string>();
  const out: SrvData[] = [];
  for (const e of entries) {
    if (e.port === -1) continue;
    const key = `${e.target} ${e.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ priority: 0, weight, port: e.port, target: e.target });
  }
  return out;
}
