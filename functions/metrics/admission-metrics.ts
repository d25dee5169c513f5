// The ACL's and the rate limit's series, read at scrape time from their plain counts
// (functions/acl/, functions/ratelimit/): CoreDNS acl's four counters with its labels, and
// edge-dns's own rate-limit counter (CoreDNS has no built-in ratelimit).
import { Counter, type Registry } from 'prom-client';

export interface AdmissionSources {
  /** The `server` label: the port-53 listener. */
  server(): string;
  /** Queries by ACL action, each by the zone of the rule that decided. */
  acl(): Record<'allow' | 'block' | 'filter' | 'drop', ReadonlyMap<string, number>> | undefined;
  /** Queries by rate-limit verdict. */
  ratelimit(): { passed: number; slipped: number; dropped: number } | undefined;
}

const VIEW = '';
const ACL = [
  ['block', 'coredns_acl_blocked_requests_total', 'Counter of DNS requests being blocked.'],
  ['filter', 'coredns_acl_filtered_requests_total', 'Counter of DNS requests being filtered.'],
  ['drop', 'coredns_acl_dropped_requests_total', 'Counter of DNS requests being dropped.'],
] as const;

export function registerAdmissionMetrics(registry: Registry, sources: AdmissionSources): void {
  for (const [action, name, help] of ACL)
    new Counter({
      name,
      help,
      labelNames: ['server', 'zone', 'view'],
      registers: [registry],
      collect() {
        this.reset();
        const server = sources.server();
        for (const [zone, n] of sources.acl()?.[action] ?? [])
          this.inc({ server, zone: zone === '' ? '.' : `${zone}.`, view: VIEW }, n);
      },
    });
  new Counter({
    name: 'coredns_acl_allowed_requests_total',
    help: 'Counter of DNS requests being allowed.',
    labelNames: ['server', 'view'],
    registers: [registry],
    collect() {
      this.reset();
      let n = 0;
      for (const count of sources.acl()?.allow.values() ?? []) n += count;
      if (n > 0) this.inc({ server: sources.server(), view: VIEW }, n);
    },
  });
  new Counter({
    name: 'edge_dns_ratelimit_requests_total',
    help: 'DNS requests by rate-limit verdict: pass, slip (a truncated reply over UDP; REFUSED over TCP), drop (no reply).',
    labelNames: ['server', 'verdict'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = sources.ratelimit();
      if (!counts) return;
      const server = sources.server();
      this.inc({ server, verdict: 'pass' }, counts.passed);
      this.inc({ server, verdict: 'slip' }, counts.slipped);
      this.inc({ server, verdict: 'drop' }, counts.dropped);
    },
  });
}
