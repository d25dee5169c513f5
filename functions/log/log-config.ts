import * as z from 'zod';
import { compileFormat } from './log-format.ts';
import { LOG_CLASSES } from './response-class.ts';

// The `log` block of the container's configuration (CoreDNS `log [NAMES...] [FORMAT] { class
// CLASSES... }`). Absent: no query log. Present: on unless `enabled: false`.

export const DEFAULT_LOG_BUFFER_CHARS = 4 << 20;

export const logSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** `{common}` (CoreDNS's default), `{combined}`, or text with placeholders. */
    format: z
      .string()
      .min(1)
      .default('{common}')
      .superRefine((format, ctx) => {
        try {
          compileFormat(format);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    /** Which replies are logged: all, success, denial, error (CoreDNS `class`). */
    classes: z.array(z.enum(LOG_CLASSES)).min(1).default(['all']),
    /** One JSON object per line, with the format's placeholders as fields. */
    json: z.boolean().default(false),
    /** Characters of lines held while stdout is busy; past this, lines are dropped and counted. */
    bufferChars: z
      .number()
      .int()
      .min(1024)
      .max(1 << 28)
      .default(DEFAULT_LOG_BUFFER_CHARS),
  })
  .strict()
  .optional();

export type LogConfig = z.output<typeof logSchema>;
