// Process-level series: CoreDNS's build info and reload failures, and prom-client's process and
// Node.js defaults (process_resident_memory_bytes, process_cpu_seconds_total, nodejs_*).
import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';

export interface BuildInfo {
  version: string;
  /** The source revision (a git commit), or '' when unknown. */
  revision: string;
}

/** Registers the series; returns what counts a failed reload (CoreDNS `reload`). */
export function registerProcessMetrics(registry: Registry, build: BuildInfo): () => void {
  const info = new Gauge({
    name: 'coredns_build_info',
    help: "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.",
    labelNames: ['version', 'revision', 'goversion'],
    registers: [registry],
  });
  // goversion: the runtime, as CoreDNS names its Go version.
  info.set({ version: build.version, revision: build.revision, goversion: process.version }, 1);
  const reloadFailed = new Counter({
    name: 'coredns_reload_failed_total',
    help: 'Counter of the number of failed reload attempts.',
    registers: [registry],
  });
  collectDefaultMetrics({ register: registry });
  return () => reloadFailed.inc();
}
