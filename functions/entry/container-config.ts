import * as z from 'zod';
import { durationMs } from '../../common/config/duration.ts';
import { hostPort, validateWith } from '../../common/config/fields.ts';
import { refineLiveSource } from '../../common/config/source-choice.ts';
import { kubernetesSchema } from '../../sync/config/kubernetes-config.ts';
import { cacheSchema, forwardSchema } from '../forward/forward-config.ts';
import { errorsSchema } from '../log/errors-config.ts';
import { logSchema } from '../log/log-config.ts';
import { metricsSchema } from '../metrics/metrics-config.ts';
import { healthSchema, readySchema, reloadSchema } from './container-process-config.ts';
import { certificateFor, dotSchema, tlsSchema } from '../dns53/dot-config.ts';
import { rateLimitSchema } from '../ratelimit/ratelimit-config.ts';
import { dohAuthSchema } from '../auth/auth-config.ts';
import { clustersSchema, refineClusters } from './container-cluster-config.ts';

/** A plugin's directive as a Corefile writes it (functions/corefile/corefile.ts `Directive`). */
const subDirective = z.object({
  name: z.string().min(1),
  args: z.array(z.string()).default([]),
  file: z.string().default('config'),
  line: z.number().int().default(0),
});
const directive = subDirective
  .extend({ block: z.array(subDirective.strict()).optional() })
  .strict();

// The container's configuration file (YAML or JSON). Every key has a command-line flag that
// overrides it (container-flags.ts); functions/entry/README.md lists both.

const containerConfigSchema = z
  .object({
    dns: z
      .object({
        /** UDP and TCP listen address. */
        listen: hostPort.default('127.0.0.1:1053'),
        /** More addresses served alike (CoreDNS `bind` with several addresses). */
        also: z.array(hostPort).default([]),
        tcp: z
          .object({
            idleTimeoutMs: durationMs({ min: 100, max: 600_000 }).default(10_000),
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
    /** DNS-over-HTTPS (RFC 8484 and the JSON API): off when `listen` is absent. With `cert` and
     *  `key` (PEM files): HTTPS with HTTP/2; without: plain HTTP, for loopback use. */
    doh: z
      .object({
        listen: hostPort.optional(),
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        /** Bearer tokens and JWTs (functions/auth/auth-config.ts); none: no auth. */
        auth: dohAuthSchema,
      })
      .strict()
      .prefault({}),
    /** DNS over TLS (RFC 7858): off when `listen` is absent (dns53/dot-config.ts). */
    dot: dotSchema,
    /** The certificate of every TLS listener (DoH, DoT) that names none of its own. */
    tls: tlsSchema,
    /** Query rate limits per client and overall (CoreDNS-style `ratelimit`): functions/ratelimit/. */
    ratelimit: rateLimitSchema,
    /** HTTP probes: GET /health (alive) and, without `ready.listen`, /ready (records trusted);
     *  lameduck on SIGTERM (container-process-config.ts). Off when absent. */
    health: healthSchema,
    ready: readySchema,
    reload: reloadSchema,
    kubernetes: kubernetesSchema,
    /** More clusters, each answering its own zones (container-cluster-config.ts). */
    clusters: clustersSchema,
    /** Names outside our zones (CoreDNS `forward`); none: REFUSED, never an open resolver. */
    forward: z.array(forwardSchema).default([]),
    /** The cache of forwarded answers (CoreDNS `cache`). */
    cache: cacheSchema,
    /** Query log (CoreDNS `log`) and error lines (CoreDNS `errors`): functions/log/. */
    log: logSchema,
    errors: errorsSchema,
    /** Prometheus /metrics (CoreDNS `prometheus`, functions/metrics/): off when absent. */
    metrics: metricsSchema,
    /**
     * Server blocks with their query-time plugins, as a Corefile writes them (a Corefile sets
     * this; container-blocks.ts builds the chains). Absent: one block of the kubernetes zones and
     * `forward`.
     */
    servers: z
      .array(
        z
          .object({
            zones: z.array(z.string()).min(1),
            plugins: z.array(directive),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const live = refineLiveSource(c, ctx);
    refineClusters(c, ctx);
    if ((c.doh.cert === undefined) !== (c.doh.key === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['doh', c.doh.cert === undefined ? 'cert' : 'key'],
        message: 'cert and key go together (PEM files)',
      });
    }
    if (c.dot.listen !== undefined && !certificateFor(c.dot, c.tls))
      ctx.addIssue({
        code: 'custom',
        path: ['dot', 'cert'],
        message: 'DoT needs a certificate: dot.cert and dot.key, or tls.cert and tls.key',
      });
    const zones = c.forward.map((f) => f.zone);
    zones.forEach((zone, i) => {
      if (zones.indexOf(zone) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['forward', i, 'zone'],
          message: `zone ${zone || '.'} is forwarded twice`,
        });
    });
    // In a Corefile only a k8s_external directive answers external zones (container-blocks.ts).
    if (
      c.servers &&
      c.kubernetes.external?.zones.length &&
      !c.servers.some((s) => s.plugins.some((d) => d.name === 'k8s_external'))
    )
      ctx.addIssue({
        code: 'custom',
        path: ['kubernetes', 'external', 'zones'],
        message: 'a Corefile answers external zones through a k8s_external directive: add one',
      });
    if (live && c.snapshots.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['snapshots'],
        message: 'choose one source: snapshots, or a live cluster (kubeconfig / inCluster)',
      });
    }
  })
  // DoH without its own certificate takes the shared one (dot-config.ts certificateFor).
  .transform((c) => {
    const doh = c.doh.cert === undefined ? certificateFor(c.doh, c.tls) : undefined;
    return doh ? { ...c, doh: { ...c.doh, ...doh } } : c;
  });

export type ContainerConfig = z.output<typeof containerConfigSchema>;

export { splitHostPort } from '../../common/config/fields.ts';

/** Validates a config object; the error names the source, the field and what was expected. */
export function validateConfig(input: unknown, source: string): ContainerConfig {
  return validateWith(containerConfigSchema, input, source);
}
