import * as z from 'zod';
import { durationMs, parseDuration } from '../../common/config/duration.ts';
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

/** CoreDNS `reload [INTERVAL [JITTER]]`: how often the config file's hash is compared (0 turns it
 *  off), each check moved by up to JITTER either way so that replicas do not reload together. */
export const reloadSchema = z
  .object({
    interval: durationMs({ max: 86_400_000, bare: 'reject' })
      .refine((ms) => ms === 0 || ms >= 100, 'expected 0 (off) or at least 100ms')
      .default(30_000),
    jitter: durationMs({ max: 43_200_000, bare: 'reject' }).default(0),
  })
  .strict()
  // A jitter past half the interval (a flag lowered the interval) is capped there; a Corefile
  // that writes one is refused at its line (reloadFromArgs).
  .transform((r) => ({ ...r, jitter: Math.min(r.jitter, Math.floor(r.interval / 2)) }))
  .prefault({});

/**
 * CoreDNS `reload [INTERVAL [JITTER]]` as the `reload` key: 30s and 15s by default; a JITTER not
 * written is capped at half the INTERVAL (CoreDNS's default pair is 30s and 15s), a written one
 * past it is refused (thrown as a message). Text that does not parse is left to the schema.
 */
export function reloadFromArgs(args: readonly string[]): { interval: string; jitter: string } {
  const [interval = '30s', jitter = '15s'] = args;
  let ms: { interval: number; jitter: number };
  try {
    ms = { interval: parseDuration(interval, 'reject'), jitter: parseDuration(jitter, 'reject') };
  } catch {
    return { interval, jitter };
  }
  if (args[1] !== undefined && ms.interval > 0 && ms.jitter > ms.interval / 2)
    throw new Error(`JITTER ${jitter} is more than half the INTERVAL ${interval}`);
  return { interval, jitter };
}
