import * as z from 'zod';
import { durationMs } from '../../common/config/duration.ts';
import { hostPort } from '../../common/config/fields.ts';

// The container's process plugins, under CoreDNS's names: `health` (with `lameduck`), `ready` and
// `reload` (docs/architecture.md §7). Durations are Go's (5s, 1m30s); functions/entry/README.md
// lists the keys and their flags.

/** CoreDNS `health [ADDRESS] { lameduck DURATION }`. */
export const healthSchema = z
  .object({
    /** GET /health, 200 while the process serves (also during lameduck). Off when absent. */
    listen: hostPort.optional(),
    /** After SIGTERM/SIGINT, keep serving this long while /ready says 503, then drain. */
    lameduck: durationMs({ max: 3_600_000, bare: 'reject' }).default(0),
  })
  .strict()
  .prefault({});

/** CoreDNS `ready [ADDRESS]`: GET /ready on its own port. Absent: /ready is served on health's. */
export const readySchema = z.object({ listen: hostPort.optional() }).strict().prefault({});

/** CoreDNS `reload [INTERVAL]`: how often the config file's hash is compared; 0 turns it off. */
export const reloadSchema = z
  .object({
    interval: durationMs({ max: 86_400_000, bare: 'reject' })
      .refine((ms) => ms === 0 || ms >= 100, 'expected 0 (off) or at least 100ms')
      .default(30_000),
  })
  .strict()
  .prefault({});
