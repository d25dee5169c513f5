import * as z from 'zod';
import { ConfigError } from './config-error.ts';
import { TTL_MAX_SECONDS, ZONE_NAME, ZONE_NAME_EXPECTED, normalizeZoneName } from './zone-name.ts';

// Config fields shared by the container's and the sync's configuration.

export const hostPort = z
  .string()
  .regex(
    /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/,
    'expected HOST:PORT, e.g. 127.0.0.1:1053 or [::1]:1053',
  )
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be 0..65535');

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

export { ConfigError };

/** Validates `input` against `schema`; the error names the source, the field and what was expected. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    return `${source}: ${path || '(top level)'}: ${issue.message}`;
  });
  throw new ConfigError(lines.join('\n'));
}

/** Splits HOST:PORT (IPv6 in brackets). */
export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return {
    host: value.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(value.slice(colon + 1)),
  };
}
