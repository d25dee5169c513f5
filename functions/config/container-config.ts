import { z } from 'zod';

// The container's configuration file (YAML or JSON). Every key has a command-line flag that
// overrides it (functions/config/container-flags.ts); README "Configuration" lists both.

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:1053 or [::1]:1053')
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be 0..65535');

const zoneName = z
  .string()
  .regex(/^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i, 'expected a DNS name such as cluster.local')
  .transform((v) => v.toLowerCase().replace(/\.$/, ''));

export const containerConfigSchema = z
  .object({
    dns: z
      .object({
        /** UDP and TCP listen address. */
        listen: hostPort.default('127.0.0.1:1053'),
        tcp: z
          .object({
            idleTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
            maxConnections: z.number().int().min(1).max(65_535).default(1024),
            maxInFlight: z.number().int().min(1).max(1024).default(64),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** kubectl JSON/YAML dumps to serve (or a live source below). */
    snapshots: z.array(z.string().min(1)).default([]),
    /** HTTP probes: GET /health (alive) and /ready (records trusted). Off when absent. */
    health: z
      .object({ listen: hostPort.optional() })
      .strict()
      .prefault({}),
    /** The CoreDNS `kubernetes` plugin options, under its names. */
    kubernetes: z
      .object({
        zones: z.array(zoneName).min(1).default(['cluster.local', 'in-addr.arpa', 'ip6.arpa']),
        ttl: z.number().int().min(0).max(3600).default(5),
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
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const live = c.kubernetes.inCluster || c.kubernetes.kubeconfig !== undefined;
    if (c.kubernetes.inCluster && c.kubernetes.kubeconfig !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['kubernetes', 'inCluster'], message: 'choose one source: inCluster or kubeconfig, not both' });
    }
    if (live && c.snapshots.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['snapshots'], message: 'choose one source: snapshots, or a live cluster (kubeconfig / inCluster)' });
    }
  });

export type ContainerConfig = z.output<typeof containerConfigSchema>;
export type ContainerConfigInput = z.input<typeof containerConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates a config object; the error names the source, the field and what was expected. */
export function validateConfig(input: unknown, source: string): ContainerConfig {
  const result = containerConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${source}: ${path || '(top level)'}: ${issue.message}`;
  });
  throw new ConfigError(lines.join('\n'));
}

/** Splits HOST:PORT (IPv6 in brackets). */
export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return { host: value.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(value.slice(colon + 1)) };
}
