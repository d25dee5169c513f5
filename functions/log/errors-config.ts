import * as z from 'zod';
import { durationMs } from '../../common/config/duration.ts';
import type { ConsolidateRule } from './error-log.ts';

// The `errors` block of the container's configuration (CoreDNS `errors { consolidate DURATION
// REGEXP [LEVEL] [show_first] }`). Absent: failures are printed as plain `edge-dns: ...` lines,
// as before the plugin existed. Present: CoreDNS's lines, consolidated by the rules.

const pattern = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    try {
      new RegExp(text);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `not a regular expression: ${(error as Error).message}`,
      });
    }
  });

export const errorsSchema = z
  .object({
    enabled: z.boolean().default(true),
    consolidate: z
      .array(
        z
          .object({
            interval: durationMs({ min: 1, max: 86_400_000 }),
            pattern,
            level: z.enum(['error', 'warning', 'info', 'debug']).default('error'),
            showFirst: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .optional();

export type ErrorsConfig = z.output<typeof errorsSchema>;

/** The rules as the ErrorLog takes them. */
export function consolidateRules(config: NonNullable<ErrorsConfig>): ConsolidateRule[] {
  return config.consolidate.map((c) => ({
    intervalMs: c.interval,
    pattern: new RegExp(c.pattern),
    level: c.level,
    showFirst: c.showFirst,
  }));
}

/** `--errors-consolidate DURATION=REGEXP`: the rule it adds (the schema checks both halves). */
export function consolidateFlag(text: string): { interval: string; pattern: string } {
  const at = text.indexOf('=');
  if (at < 1) throw new Error(`expected DURATION=REGEXP, e.g. 5m=.*, got "${text}"`);
  return { interval: text.slice(0, at), pattern: text.slice(at + 1) };
}
