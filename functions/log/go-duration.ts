// Durations printed as CoreDNS prints them, which is how Go formats them: the log's {duration}
// (strconv.FormatFloat(seconds, 'f', -1, 64) + "s", e.g. 0.000123456s) and time.Duration's
// String() in the errors plugin's consolidation line (5m0s, 1h0m0s, 1.5s, 500ms, 250µs).

const nanos = (ms: number) => Math.max(0, Math.round(ms * 1e6));

/**
 * `{duration}`: seconds with as many digits as the value needs, never an exponent. Under a second
 * (every answer but a slow forward) the nanoseconds are printed as digits, without a regex: a
 * whole number of nanoseconds over 1e9 has no shorter decimal than its nine digits, so this is
 * what shortest-digits formatting prints too.
 */
export function durationSeconds(ms: number): string {
  let ns = nanos(ms);
  if (ns === 0) return '0s';
  if (ns < 1e9) {
    let digits = 9;
    while (ns % 10 === 0) {
      ns /= 10;
      digits--;
    }
    const text = String(ns);
    return `0.${ZEROS[digits - text.length]}${text}s`;
  }
  return slowSeconds(ns);
}

/** "", "0", "00", ... the leading zeros of a fraction. */
const ZEROS = Array.from({ length: 10 }, (_, n) => '0'.repeat(n));

function slowSeconds(ns: number): string {
  const text = String(ns / 1e9);
  const exp = /^(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (!exp) return `${text}s`;
  return `0.${'0'.repeat(Number(exp[3]) - 1)}${exp[1]}${exp[2] ?? ''}s`;
}

/** `value / unit` with the fraction's trailing zeros dropped: (1500, 1000) -> "1.5". */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value % unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Go's time.Duration.String() of `ms` milliseconds. */
export function goDuration(ms: number): string {
  const ns = nanos(ms);
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${fraction(ns, 1e3)}µs`;
  if (ns < 1e9) return `${fraction(ns, 1e6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = fraction(ns % 6e10, 1e9);
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
