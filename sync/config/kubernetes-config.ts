// The CoreDNS `kubernetes` plugin's options (its names, its defaults) and the live source: the
// schema of the `kubernetes` key and the flag rows that mirror it. The sync and the container both
// build records with these options (sync/records/options.ts).
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { parseLabelSelector } from '../records/label-selector.ts';
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

/** The CoreDNS `kubernetes` plugin options, under its names. */
export const kubernetesSchema = z
  .object({
    zones: z.array(zoneName).min(1).default(['cluster.local', 'in-addr.arpa', 'ip6.arpa']),
    ttl: z.number().int().min(0).max(TTL_MAX_SECONDS).default(5),
    pods: z.enum(['disabled', 'insecure', 'verified']).default('disabled'),
    namespaces: z.array(z.string().min(1)).default([]),
    endpointPodNames: z.boolean().default(false),
    ignoreEmptyService: z.boolean().default(false),
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
  })
  .strict()
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
];
