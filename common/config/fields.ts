import * as z from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { pathText } from './flag-table.ts';

// Config fields shared by the container's and the sync's configuration, and the validator that
// turns a schema's issues into errors naming the source and the field.

export const hostPort = z
  .string()
  .regex(
    /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/,
    'expected HOST:PORT, e.g. 127.0.0.1:1053 or [::1]:1053',
  )
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be 0..65535');

/** Validates `input` against `schema`; the error names the source, the field and what was expected,
 *  and carries the problems (`issues`) for the command line to place. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.flatMap((issue) => {
    const path = issue.path.filter((p) => typeof p !== 'symbol') as (string | number)[];
    // One problem per unknown key, at the key, so a file's line can be found.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown key' }));
    return [{ path, message: issue.message }];
  });
  const lines = issues.map((i) => `${source}: ${pathText(i.path) || '(top level)'}: ${i.message}`);
  throw new ConfigError(lines.join('\n'), issues);
}

/** Splits HOST:PORT (IPv6 in brackets). */
export function splitHostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return {
    host: value.slice(0, colon).replace(/^\[|\]$/g, ''),
    port: Number(value.slice(colon + 1)),
  };
}
