// The CoreDNS `kubernetes` plugin's options (its names, its defaults) and the live source: the
// schema of the `kubernetes` key and the flags that mirror it. The sync and the container both
// build records with these options (sync/records/options.ts).
import * as z from 'zod';
import { commaList, wholeNumber } from '../../common/config/config-file.ts';
import {
  TTL_MAX_SECONDS,
  ZONE_NAME,
  ZONE_NAME_EXPECTED,
  normalizeZoneName,
} from '../../common/config/zone-name.ts';

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
    /** Live source: watch the API server of this kubeconfig file... */
    kubeconfig: z.string().min(1).optional(),
    /** ...or of the cluster the container runs in (service account credentials). */
    inCluster: z.boolean().default(false),
    /** Addresses answered for ns.dns.<zone>, the NS target at each zone apex. */
    nsAddresses: z.array(z.union([z.ipv4(), z.ipv6()])).default([]),
  })
  .strict()
  .prefault({});

/** The CoreDNS `kubernetes` options and the live source, from flags over a file's `kubernetes` key. */
export function kubernetesFromFlags(
  base: Record<string, any> | undefined,
  flags: Record<string, string | boolean | string[] | undefined>,
): Record<string, any> {
  const k8s = { ...(base ?? {}) };
  const str = (k: string) => flags[k] as string | undefined;
  if (str('zones') !== undefined) k8s.zones = commaList(str('zones') as string);
  if (str('ttl') !== undefined) k8s.ttl = wholeNumber('ttl', str('ttl'));
  if (str('pods') !== undefined) k8s.pods = str('pods');
  if (str('namespaces') !== undefined) k8s.namespaces = commaList(str('namespaces') as string);
  if (flags['endpoint-pod-names']) k8s.endpointPodNames = true;
  if (flags['ignore-empty-service']) k8s.ignoreEmptyService = true;
  if (str('kubeconfig') !== undefined) k8s.kubeconfig = str('kubeconfig');
  if (flags['in-cluster']) k8s.inCluster = true;
  return k8s;
}

/** parseArgs options of the flags kubernetesFromFlags reads. */
export const kubernetesFlags = {
  kubeconfig: { type: 'string' },
  'in-cluster': { type: 'boolean' },
  zones: { type: 'string' },
  ttl: { type: 'string' },
  pods: { type: 'string' },
  namespaces: { type: 'string' },
  'endpoint-pod-names': { type: 'boolean' },
  'ignore-empty-service': { type: 'boolean' },
} as const;
