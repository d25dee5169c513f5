// Checks of one edge environment variable's text (edge-config.ts): plain functions rather than
// zod, to keep the edge bundles small (docs/architecture.md §7). A check returns the value or an
// Invalid naming what was expected; a message never repeats the value (a token must not reach a
// log).
import { formatDuration, parseDuration } from '../../common/config/duration-text.ts';

/** A value as given, or undefined when unset or empty ('' is what templated env files leave). */
export function given(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // wrangler [vars] may be JSON
  if (typeof v !== 'string') return v;
  const s = v.trim();
  return s === '' ? undefined : s;
}

/** A failed check: the message, and the list index it concerns (EDGE_DNS_TOKENS[1]). */
export class Invalid {
  constructor(
    readonly message: string,
    readonly index?: number,
  ) {}
}

/** A check of one variable's text: its value, or an Invalid. */
export type Check<T> = (s: string) => T | Invalid;

export const matching =
  (re: RegExp, expected: string): Check<string> =>
  (s) =>
    re.test(s) ? s : new Invalid(expected);

export const wholeNumber =
  (min: number, max: number, what: string): Check<number> =>
  (s) => {
    if (!/^\d+$/.test(s)) return new Invalid(`expected ${what}: a whole number ${min}..${max}`);
    const n = Number(s);
    if (n < min) return new Invalid(`expected ${what}: at least ${min}`);
    if (n > max) return new Invalid(`expected ${what}: at most ${max}`);
    return n;
  };

/** A Go duration (common/config/duration-text.ts: 2s, 1500ms; a bare number is milliseconds),
 *  in milliseconds, min..max. */
export const duration =
  (min: number, max: number): Check<number> =>
  (s) => {
    const range = `${formatDuration(min)}..${formatDuration(max)}`;
    let ms: number;
    try {
      ms = parseDuration(s, 'ms');
    } catch {
      return new Invalid(`expected a duration ${range} such as 2s or 1500ms`);
    }
    return ms >= min && ms <= max ? ms : new Invalid(`expected a duration ${range}`);
  };

const atLeastOne = 'expected at least one value';

/** A comma-separated list (blanks around and between commas ignored), each item checked. */
export const list =
  <T>(item: Check<T>): Check<T[]> =>
  (s) => {
    const items = s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    if (items.length === 0) return new Invalid(atLeastOne);
    const out: T[] = [];
    for (const [i, x] of items.entries()) {
      const v = item(x);
      if (v instanceof Invalid) return new Invalid(v.message, i);
      out.push(v);
    }
    return out;
  };

export const region = matching(/^[a-z0-9-]+$/, 'expected an AWS region such as eu-west-1');

/** RFC 6750 §2.1 b64token without '/' (a token may be a path segment, /dns-query/<token>). */
export const token: Check<string> = (s) => {
  if (!/^[A-Za-z0-9._~+=-]+$/.test(s))
    return new Invalid('expected a token of A-Z a-z 0-9 . _ ~ + = - (e.g. `openssl rand -hex 24`)');
  if (s.length < 16)
    return new Invalid('expected a token of at least 16 characters (e.g. `openssl rand -hex 24`)');
  return s;
};

export const httpUrl: Check<string> = (s) => {
  const expected = new Invalid('expected an http(s) URL such as http://127.0.0.1:8000');
  try {
    return /^https?:$/.test(new URL(s).protocol) ? s : expected;
  } catch {
    return expected;
  }
};

/** An https URL, or http to a loopback address (tests, a local sidecar); `what` names it. */
export const secureUrl =
  (what: string): Check<string> =>
  (s) => {
    const expected = new Invalid(
      `expected an https:// ${what} (http:// only to 127.0.0.1, [::1] or localhost)`,
    );
    try {
      const url = new URL(s);
      const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname);
      return url.protocol === 'https:' || (url.protocol === 'http:' && loopback)
        ? url.href
        : expected;
    } catch {
      return expected;
    }
  };

/** RFC 8484 URL. */
export const dohUrl = secureUrl('DoH URL such as https://dns.example/dns-query');
