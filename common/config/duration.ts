// Durations as zod fields of configuration schemas; the text rules, free of zod, are in
// duration-text.ts.
import * as z from 'zod';
import {
  DURATION_EXPECTED,
  formatDuration,
  parseDuration,
  type BareNumber,
} from './duration-text.ts';

export { DURATION_EXPECTED, formatDuration, parseDuration, type BareNumber };

export interface DurationRange {
  /** Milliseconds, inclusive. */
  min?: number;
  max?: number;
  bare?: BareNumber;
}

/**
 * A zod field read as milliseconds: a duration string, or a number (milliseconds when `bare` is
 * 'ms'). Errors name the range in durations (`expected 100ms..10m, got 5h`).
 */
export function durationMs(o: DurationRange = {}) {
  const min = o.min ?? 0;
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  return z.union([z.number(), z.string()]).transform((value, ctx): number => {
    let ms: number;
    try {
      ms = parseDuration(value, o.bare ?? 'ms');
    } catch (error) {
      ctx.issues.push({ code: 'custom', message: (error as Error).message, input: value });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER
          ? `at least ${formatDuration(min)}`
          : `${formatDuration(min)}..${formatDuration(max)}`;
      ctx.issues.push({
        code: 'custom',
        message: `expected a duration of ${range}, got ${typeof value === 'number' ? `${value}ms` : `"${value}"`}`,
        input: value,
      });
      return z.NEVER;
    }
    return ms;
  });
}
