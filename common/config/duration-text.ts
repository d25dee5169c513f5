// Durations as CoreDNS writes them (Go's time.ParseDuration): a sequence of decimal numbers, each
// with a unit, such as 500ms, 5s, 1m, 1h30m, 1.5s; units ns, us (µs), ms, s, m, h; `0` alone needs
// no unit. Settings that were milliseconds before durations existed (`--tcp-idle-timeout`,
// `idleTimeoutMs`, ...) keep reading a bare number as milliseconds. No zod here, so code that runs
// at the edge can read durations (docs/architecture.md §4); duration.ts adds the zod field.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** `bare`: what a number without a unit means: milliseconds, or an error (as in Go). */
export type BareNumber = 'ms' | 'reject';

export const DURATION_EXPECTED = 'expected a duration such as 500ms, 5s, 1m or 1h30m';

/**
 * Milliseconds (whole, rounded) of a Go duration, or of a bare number when `bare` is 'ms'.
 * Throws an Error whose message says what was expected (the caller adds the flag or key).
 */
export function parseDuration(text: string | number, bare: BareNumber = 'ms'): number {
  const expected =
    bare === 'ms' ? `${DURATION_EXPECTED} (a bare number is milliseconds)` : DURATION_EXPECTED;
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0 && (bare === 'ms' || text === 0))
      return Math.round(text);
    throw new Error(`${expected}, got ${text}`);
  }
  const s = text.trim();
  if (/^\d+$/.test(s) && (bare === 'ms' || Number(s) === 0)) return Number(s);
  let ms = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < s.length) {
    const at = TERM.lastIndex;
    const m = TERM.exec(s);
    if (!m || m.index !== at) throw new Error(`${expected}, got "${text}"`);
    ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  if (s.length === 0) throw new Error(`${expected}, got "${text}"`);
  return Math.round(ms);
}

/** A whole number of milliseconds as CoreDNS's docs write it: 0s, 500ms, 1.5s, 1m30s, 1h. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
