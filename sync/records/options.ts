// The CoreDNS `kubernetes` plugin options the builder honours, under CoreDNS's names.
import { parseLabelSelector } from './label-selector.ts';
import { isReverseZone } from './names.ts';
import { exportProblems, type ExportOptions } from './exported.ts';

export interface BuildOptions {
  /** All configured zones, canonical: forward zones and reverse zones (in-addr.arpa, ip6.arpa or narrower). */
  zones: string[];
  /** CoreDNS `ttl` (0..3600, default 5): the TTL of every record except dns-version. */
  ttl: number;
  /** CoreDNS `pods`. */
  pods: 'disabled' | 'insecure' | 'verified';
  /** CoreDNS `namespaces`: empty = every namespace is exposed. */
  namespaces: string[];
  /** CoreDNS `endpoint_pod_names`. */
  endpointPodNames: boolean;
  /** CoreDNS `ignore empty_service`. */
  ignoreEmptyService: boolean;
  /** CoreDNS `labels`: only Services this label selector selects (label-selector.ts). */
  labels?: string;
  /**
   * Per-Service opt-in or opt-out with the `edge-dns.io/expose` annotation (exposure.ts); `all`
   * (default) ignores it.
   */
  expose?: 'all' | 'opt-in' | 'opt-out';
  /** CoreDNS `k8s_external`: external names of the chosen Services (external.ts); none when absent. */
  external?: ExternalOptions;
  /**
   * CoreDNS `multicluster ZONES...`: these zones answer the ServiceImports (KEP-1645,
   * multicluster.ts) instead of the Services; each must be one of `zones`. None when absent.
   */
  multicluster?: string[];
  /** `--export-zone`: the exported Services under this zone (exported.ts). None when absent. */
  export?: ExportOptions;
  /**
   * CoreDNS `zonal`: `<z>.pin._zone.<svc>...` and `<z>.prefer._zone...` names of headless Services
   * (zonal.ts); not in `multicluster` zones. Off when absent.
   */
  zonal?: boolean;
}

/** CoreDNS `k8s_external ZONES... { apex APEX; ttl TTL }`. */
export interface ExternalOptions {
  /** Canonical forward zones, none of them a `zones` entry. */
  zones: string[];
  /** TTL of every external record and of the zone's SOA and NS (0..3600, default 5). */
  ttl: number;
  /** The label under the zone where its name servers live: `ns1.<apex>.<zone>` (default `dns`). */
  apex: string;
}

export const defaultBuildOptions: BuildOptions = {
  zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
  ttl: 5,
  pods: 'disabled',
  namespaces: [],
  endpointPodNames: false,
  ignoreEmptyService: false,
};

/** Problems with `options`, empty when usable. CoreDNS refuses the same configurations. */
export function validateBuildOptions(options: BuildOptions): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(options.ttl) || options.ttl < 0 || options.ttl > 3600) {
    problems.push(`ttl must be an integer in 0..3600, got ${options.ttl}`);
  }
  // CoreDNS setup: "non-reverse zone name must be used" (the primary zone names PTR targets).
  if (!options.zones.some((z) => !isReverseZone(z))) {
    problems.push('zones must include at least one forward (non-reverse) zone');
  }
  if (!['disabled', 'insecure', 'verified'].includes(options.pods)) {
    problems.push(`pods must be disabled, insecure or verified, got ${String(options.pods)}`);
  }
  if (options.external) problems.push(...externalProblems(options.external, options.zones));
  if (options.export)
    problems.push(
      ...exportProblems(options.export, [...options.zones, ...(options.external?.zones ?? [])]),
    );
  for (const z of options.multicluster ?? [])
    if (!options.zones.includes(z) || isReverseZone(z))
      problems.push(`multicluster zone ${z} must be one of the forward zones served`);
  if (options.labels !== undefined) {
    try {
      parseLabelSelector(options.labels);
    } catch (e) {
      problems.push(`labels: ${(e as Error).message}`);
    }
  }
  return problems;
}

function externalProblems(e: ExternalOptions, zones: readonly string[]): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(e.ttl) || e.ttl < 0 || e.ttl > 3600)
    problems.push(`external ttl must be an integer in 0..3600, got ${e.ttl}`);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(e.apex))
    problems.push(`external apex must be one DNS label, got "${e.apex}"`);
  for (const z of e.zones) {
    if (isReverseZone(z)) problems.push(`external zone ${z}: reverse zones are not served`);
    if (zones.includes(z)) problems.push(`external zone ${z} is also a kubernetes zone`);
  }
  return problems;
}
