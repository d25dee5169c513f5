// The container's `metrics` block (CoreDNS `prometheus [ADDRESS]`, which listens on :9153 by
// default): off unless `listen` is set. Beside the code it configures (docs/architecture.md §8.2).
import * as z from 'zod';
import { hostPort } from '../../common/config/fields.ts';

/** CoreDNS `prometheus`'s port. */
export const METRICS_DEFAULT_PORT = 9153;

export const metricsSchema = z
  .object({
    /** GET /metrics on HOST:PORT (Prometheus text format); off when absent. */
    listen: hostPort.optional(),
    /** Also export the names CoreDNS used before 1.7 (coredns_dns_request_count_total, ...). */
    legacyNames: z.boolean().default(false),
  })
  .strict()
  .prefault({});

export type MetricsConfig = z.output<typeof metricsSchema>;
