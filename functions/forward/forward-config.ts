import * as z from 'zod';
import { parseUpstreamSpec } from './upstream-spec.ts';
import { durationMs } from '../../common/config/duration.ts';
import { normalizeZoneName, ZONE_NAME, ZONE_NAME_EXPECTED } from '../../common/config/zone-name.ts';

// The container's forwarding and forward-cache settings, after CoreDNS's `forward` and `cache`
// plugins (README "Forwarding"). No `forward` entry: names outside our zones get REFUSED. The
// `...Ms` keys take Go durations (2s, 500ms) or a bare number of milliseconds.

const upstream = z.string().superRefine((text, ctx) => {
  try {
    parseUpstreamSpec(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const forwardZone = z
  .string()
  .refine((v) => v === '.' || ZONE_NAME.test(v), ZONE_NAME_EXPECTED)
  .transform((v) => (v === '.' ? '' : normalizeZoneName(v)));

/** One `forward FROM TO...` block. */
export const forwardSchema = z
  .object({
    /** `.` for every name outside our zones, or a stub zone such as example.com. */
    zone: forwardZone,
    /** CoreDNS's TO: IP[:port], dns://, tcp://, tls://IP[:853][#NAME], https:// URL, or a resolv.conf path. */
    to: z.array(upstream).min(1),
    policy: z.enum(['random', 'round_robin', 'sequential']).default('random'),
    maxConcurrent: z.number().int().min(1).max(100_000).default(1000),
    maxFails: z.number().int().min(0).max(100).default(2),
    healthCheckMs: durationMs({ min: 10, max: 3_600_000 }).default(500),
    /** Read timeout of one exchange with one upstream. */
    timeoutMs: durationMs({ min: 10, max: 60_000 }).default(2000),
    /** One query's deadline over every upstream tried (CoreDNS: fixed 5 s); never below the
     *  cache's 1.8 s stale timer, so a stale answer can still be given (RFC 8767 §5). */
    deadlineMs: durationMs({ min: 1800, max: 60_000 }).default(5000),
    /** `tls://` upstreams: the name their certificates must hold, unless one is written
     *  `tls://IP#NAME` (CoreDNS `tls_servername`). Absent: the IP address. */
    tlsServerName: z
      .string()
      .regex(HOST_NAME, 'expected a host name such as dns.example')
      .optional(),
    /** `tls://` upstreams: PEM files (CoreDNS `tls [CERT KEY] [CA]`): `ca` replaces the system's
     *  CAs; `cert` and `key`, a client certificate. */
    tls: z
      .object({
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        ca: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => (t.cert === undefined) === (t.key === undefined), {
        message: 'cert and key go together (PEM files)',
      })
      .optional(),
  })
  .strict();

const kind = (capacity: number, maxTtl: number) =>
  z
    .object({
      capacity: z.number().int().min(1).max(10_000_000).default(capacity),
      maxTtl: z.number().int().min(0).max(604_800).default(maxTtl),
      minTtl: z.number().int().min(0).max(604_800).default(5),
    })
    .strict()
    .prefault({});

/** CoreDNS `cache` options; defaults in functions/forward/cache-options.ts (CoreDNS's). */
export const cacheSchema = z
  .object({
    success: kind(9984, 3600),
    denial: kind(9984, 1800),
    /** Refresh an answer asked `amount` times before it expires. Absent: no prefetch. */
    prefetch: z
      .object({
        amount: z.number().int().min(1),
        durationMs: durationMs({ min: 1000 }).default(60_000),
        percentage: z.number().int().min(10).max(90).default(10),
      })
      .strict()
      .optional(),
    /** RFC 8767: answer expired data for this long when every upstream fails; 0 = never. */
    serveStaleMs: durationMs({ max: 604_800_000 }).default(86_400_000),
    /** How long an upstream failure is cached (RFC 9520 §3.2: 1 s to 5 min). */
    servfailMs: durationMs({ min: 1000, max: 300_000 }).default(5000),
  })
  .strict()
  .prefault({});

export type ForwardConfig = z.output<typeof forwardSchema>;
export type CacheConfig = z.output<typeof cacheSchema>;
