// The CoreDNS `kubernetes` plugin's options (its names, its defaults) and the live source: the
// schema of the `kubernetes` key and the flag rows that mirror it. The sync and the container both
// build records with these options (sync/records/options.ts).
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { parseLabelSelector } from '../records/label-selector.ts';
import { isReverseZone } from '../records/names.ts';
import {
  TTL_MAX_SECONDS,
  ZONE_NAME,
  ZONE_NAME_EXPECTED,
  normalizeZoneName,
} from '../../common/config/zone-name.ts';

/** What is wrong with a label selector, or undefined. */
function selectorProblem(text: string): string | undefined {
  try {
    parseLabelSelector(text);
    return undefined;
  } catch (e) {
    return `expected a label selector such as app=web,tier in (public): ${(e as Error).message}`;
  }
}

const zoneName = z.string().regex(ZONE_NAME, ZONE_NAME_EXPECTED).transform(normalizeZoneName);

/** CoreDNS `k8s_external ZONES... { apex; ttl }`; `--external-zone` may repeat and hold commas. */
const externalSchema = z
  .object({
    zones: z.preprocess((v) => (Array.isArray(v) ? v.flat() : v), z.array(zoneName).min(1)),
    ttl: z.number().int().min(0).max(TTL_MAX_SECONDS).default(5),
    apex: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected one DNS label such as dns')
      .default('dns'),
  })
  .strict();

/** The CoreDNS `kubernetes` plugin options, under its names. */
export const kubernetesSchema = z
  .object({
    zones: z.array(zoneName).min(1).default(['cluster.local', 'in-addr.arpa', 'ip6.arpa']),
    ttl: z.number().int().min(0).max(TTL_MAX_SECONDS).default(5),
    pods: z.enum(['disabled', 'insecure', 'verified']).default('disabled'),
    namespaces: z.array(z.string().min(1)).default([]),
    endpointPodNames: z.boolean().default(false),
    ignoreEmptyService: z.boolean().default(false),
    /** CoreDNS `zonal`: zone-scoped names of headless Services (sync/records/zonal.ts). */
    zonal: z.boolean().default(false),
    /** CoreDNS `labels`: only Services this label selector selects (sync/records/exposure.ts). */
    labels: z
      .string()
      .superRefine((t, ctx) => {
        const problem = selectorProblem(t);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** Per-Service exposure with the edge-dns.io/expose annotation: all, opt-in, opt-out. */
    expose: z.enum(['all', 'opt-in', 'opt-out']).default('all'),
    /** Live source: watch the API server of this kubeconfig file... */
    kubeconfig: z.string().min(1).optional(),
    /** ...or of the cluster the container runs in (service account credentials). */
    inCluster: z.boolean().default(false),
    /** Addresses answered for ns.dns.<zone>, the NS target at each zone apex. */
    nsAddresses: z.array(z.union([z.ipv4(), z.ipv6()])).default([]),
    /** CoreDNS `k8s_external`: external names of the Services (sync/records/external.ts). */
    external: externalSchema.optional(),
    /** CoreDNS `multicluster ZONES...`: ServiceImports answered there (sync/records/multicluster.ts). */
    multicluster: z
      .preprocess((v) => (Array.isArray(v) ? v.flat() : v), z.array(zoneName).min(1))
      .optional(),
  })
  .strict()
  .superRefine((k, ctx) => {
    // CoreDNS: "The plugin MUST be authoritative for the zones listed here."
    k.multicluster?.forEach((zone, i) => {
      const problem = isReverseZone(zone)
        ? 'a reverse zone: multicluster zones are forward zones'
        : !k.zones.includes(zone)
          ? `not a kubernetes zone (zones: ${k.zones.join(', ')}): the plugin must be authoritative for it`
          : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['multicluster', i], message: problem });
    });
    k.external?.zones.forEach((zone, i) => {
      const problem = isReverseZone(zone)
        ? 'a reverse zone: k8s_external PTR records are not built'
        : k.zones.includes(zone)
          ? 'also a kubernetes zone'
          : undefined;
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['external', 'zones', i], message: problem });
    });
  })
  .prefault({});

/** Flags of the `kubernetes` key (docs/architecture.md §8.11: one row per flag). */
export const kubernetesFlags: readonly FlagRow[] = [
  {
    flag: 'kubeconfig',
    value: 'FILE',
    key: 'kubernetes.kubeconfig',
    type: 'string',
    coredns: 'kubernetes { kubeconfig }',
    help: 'live source: watch the API server of this kubeconfig (its current context)',
  },
  {
    flag: 'in-cluster',
    key: 'kubernetes.inCluster',
    type: 'boolean',
    default: 'off',
    coredns: 'kubernetes (in a pod)',
    help: 'live source: the cluster the pod runs in (service-account credentials)',
  },
  {
    flag: 'zones',
    value: 'ZONE[,ZONE...]',
    key: 'kubernetes.zones',
    type: 'list',
    default: 'cluster.local,in-addr.arpa,ip6.arpa',
    coredns: 'kubernetes ZONES...',
    help: 'zones served; the first non-arpa zone is the primary',
  },
  {
    flag: 'ttl',
    value: 'SECONDS',
    key: 'kubernetes.ttl',
    type: 'number',
    range: [0, TTL_MAX_SECONDS],
    default: '5',
    coredns: 'kubernetes { ttl }',
    help: 'TTL of every record and the SOA minimum',
  },
  {
    flag: 'pods',
    value: 'disabled|insecure|verified',
    key: 'kubernetes.pods',
    type: 'string',
    default: 'disabled',
    coredns: 'kubernetes { pods }',
    help: 'pod records: none, any a-b-c-d.NS.pod.ZONE, or running pods only',
  },
  {
    flag: 'namespaces',
    value: 'NS[,NS...]',
    key: 'kubernetes.namespaces',
    type: 'list',
    default: 'all',
    coredns: 'kubernetes { namespaces }',
    help: 'only these namespaces are exposed',
  },
  {
    flag: 'labels',
    value: 'SELECTOR',
    key: 'kubernetes.labels',
    type: 'string',
    default: 'all',
    coredns: 'kubernetes { labels }',
    help: 'only Services this label selector selects (app=web,tier in (public))',
  },
  {
    flag: 'expose',
    value: 'all|opt-in|opt-out',
    key: 'kubernetes.expose',
    type: 'string',
    default: 'all',
    help: 'per-Service annotation edge-dns.io/expose: opt-in publishes only "true", opt-out all but "false"',
  },
  {
    flag: 'external-zone',
    value: 'ZONE[,ZONE...]',
    key: 'kubernetes.external.zones',
    type: 'list',
    repeat: true,
    default: 'none',
    coredns: 'k8s_external ZONES...',
    help: 'LoadBalancer and external IPs of Services as SVC.NS.ZONE',
  },
  {
    flag: 'external-ttl',
    value: 'SECONDS',
    key: 'kubernetes.external.ttl',
    type: 'number',
    range: [0, TTL_MAX_SECONDS],
    default: '5',
    coredns: 'k8s_external { ttl }',
    help: 'TTL of the external names and of their zone SOA and NS',
  },
  {
    flag: 'external-apex',
    value: 'LABEL',
    key: 'kubernetes.external.apex',
    type: 'string',
    default: 'dns',
    coredns: 'k8s_external { apex }',
    help: 'the external zone name servers are ns1.LABEL.ZONE',
  },
  {
    flag: 'multicluster',
    value: 'ZONE[,ZONE...]',
    key: 'kubernetes.multicluster',
    type: 'list',
    repeat: true,
    default: 'none',
    coredns: 'kubernetes { multicluster ZONES... }',
    help: 'these kubernetes zones answer ServiceImports (Multi-Cluster Services), not Services',
  },
  {
    flag: 'endpoint-pod-names',
    key: 'kubernetes.endpointPodNames',
    type: 'boolean',
    default: 'off',
    coredns: 'kubernetes { endpoint_pod_names }',
    help: 'endpoints without a hostname are named by their pod',
  },
  {
    flag: 'ignore-empty-service',
    key: 'kubernetes.ignoreEmptyService',
    type: 'boolean',
    default: 'off',
    coredns: 'kubernetes { ignore empty_service }',
    help: 'ClusterIP services without ready endpoints answer NXDOMAIN',
  },
  {
    flag: 'zonal',
    key: 'kubernetes.zonal',
    type: 'boolean',
    default: 'off',
    coredns: 'kubernetes { zonal }',
    help: 'headless services answer ZONE.pin._zone.SVC.NS.svc.ZONE and ZONE.prefer._zone...',
  },
];
