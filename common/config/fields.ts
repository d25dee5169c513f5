import * as z from 'zod';
import { ConfigError } from './config-error.ts';

// Config fields shared by the container's and the sync's configuration, and the validator that
// turns a schema's issues into errors naming the source and the field.

export const hostPort = z
  .string()
  .regex(
    /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/,
    'expected HOST:PORT, e.g. 127.0.0.1:1053 or [::1]:1053',
  )
  .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be 0..65535');

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
