// The CoreDNS `kubernetes` plugin options the builder honours, under CoreDNS's names.
import { parseLabelSelector } from './label-selector.ts';
import { isReverseZone } from './names.ts';

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
  if (options.labels !== undefined) {
    try {
      parseLabelSelector(options.labels);
    } catch (e) {
      problems.push(`labels: ${(e as Error).message}`);
    }
  }
  return problems;
}
