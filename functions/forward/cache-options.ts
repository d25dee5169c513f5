// Options of the forward cache, named after CoreDNS's `cache` plugin where it has them
// (https://coredns.io/plugins/cache/): `success CAPACITY [TTL] [MINTTL]`, `denial CAPACITY [TTL]
// [MINTTL]`, `prefetch AMOUNT [DURATION] [PERCENTAGE%]`, `serve_stale [DURATION]`, `servfail
// DURATION`. TTLs in seconds (as in DNS), durations in milliseconds. Pure.

/** One kind of data (positive or denial): an LRU of `capacity` answers, lifetimes in [minTtl, maxTtl] s. */
interface KindOptions {
  capacity: number;
  maxTtl: number;
  minTtl: number;
}

/**
 * An entry is "popular" after `amount` hits with no gap of `durationMs` or more between them
 * (CoreDNS's definition), and is refreshed when at most `percentage`% of its lifetime is left
 * (at least the last second).
 */
interface PrefetchOptions {
  amount: number;
  durationMs: number;
  percentage: number;
}

export interface ForwardCacheOptions {
  success?: Partial<KindOptions>;
  denial?: Partial<KindOptions>;
  /** Absent: no prefetch (CoreDNS's default too). */
  prefetch?: Partial<PrefetchOptions> & { amount: number };
  /** How long past its expiry an answer may still be served when the upstream fails; 0: never. */
  serveStaleMs?: number;
  /** How long an upstream failure (SERVFAIL, timeout) is remembered. */
  servfailMs?: number;
}

export interface ResolvedCacheOptions {
  success: KindOptions;
  denial: KindOptions;
  prefetch: PrefetchOptions | undefined;
  serveStaleMs: number;
  servfailMs: number;
}

/**
 * CoreDNS's defaults: 9984 answers per cache (256 shards of 39), max TTL 3600 s for NOERROR and
 * 1800 s for denials, min TTL 5 s for both (plugin/cache README and cache.go maxTTL/maxNTTL/minTTL).
 */
const DEFAULT_SUCCESS: KindOptions = { capacity: 9984, maxTtl: 3600, minTtl: 5 };
const DEFAULT_DENIAL: KindOptions = { capacity: 9984, maxTtl: 1800, minTtl: 5 };
/** CoreDNS: prefetch DURATION defaults to 1m, PERCENTAGE to 10% (allowed range [10%, 90%]). */
const DEFAULT_PREFETCH_DURATION_MS = 60_000;
const DEFAULT_PREFETCH_PERCENTAGE = 10;
/** RFC 8767 §5: "a reasonable value is 1 to 3 days" (CoreDNS's serve_stale default is 1h). */
const DEFAULT_SERVE_STALE_MS = 86_400_000;
/** CoreDNS: SERVFAIL cached 5 s unless set; RFC 9520 §3.2: at least 1 s; RFC 2308 §7.1: at most 5 min. */
const DEFAULT_SERVFAIL_MS = 5_000;
const MIN_SERVFAIL_MS = 1_000;
const MAX_SERVFAIL_MS = 300_000;
/** RFC 8767 §4: the TTL of a stale answer, "a recommended value of 30 seconds". */
export const STALE_TTL = 30;

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`forward cache: ${what}, got ${String(value)}`);
}

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 1;
const isTtl = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && n <= 2_147_483_647;

function kind(
  name: string,
  given: Partial<KindOptions> | undefined,
  defaults: KindOptions,
): KindOptions {
  const o: KindOptions = {
    capacity: given?.capacity ?? defaults.capacity,
    maxTtl: given?.maxTtl ?? defaults.maxTtl,
    minTtl: given?.minTtl ?? defaults.minTtl,
  };
  check(isCount(o.capacity), `${name} capacity must be an integer >= 1`, o.capacity);
  check(isTtl(o.maxTtl), `${name} TTL must be an integer number of seconds >= 0`, o.maxTtl);
  check(isTtl(o.minTtl), `${name} MINTTL must be an integer number of seconds >= 0`, o.minTtl);
  check(o.minTtl <= o.maxTtl, `${name} MINTTL must not exceed its TTL (${o.maxTtl})`, o.minTtl);
  return o;
}

/** Fills in the defaults; throws RangeError, naming the option, on a value out of range. */
export function resolveCacheOptions(options: ForwardCacheOptions = {}): ResolvedCacheOptions {
  const success = kind('success', options.success, DEFAULT_SUCCESS);
  const denial = kind('denial', options.denial, DEFAULT_DENIAL);
  let prefetch: PrefetchOptions | undefined;
  if (options.prefetch) {
    prefetch = {
      amount: options.prefetch.amount,
      durationMs: options.prefetch.durationMs ?? DEFAULT_PREFETCH_DURATION_MS,
      percentage: options.prefetch.percentage ?? DEFAULT_PREFETCH_PERCENTAGE,
    };
    check(isCount(prefetch.amount), 'prefetch AMOUNT must be an integer >= 1', prefetch.amount);
    check(
      Number.isFinite(prefetch.durationMs) && prefetch.durationMs > 0,
      'prefetch DURATION must be > 0',
      prefetch.durationMs,
    );
    const p = prefetch.percentage;
    check(
      Number.isInteger(p) && p >= 10 && p <= 90,
      'prefetch PERCENTAGE must be an integer in [10, 90] (CoreDNS)',
      p,
    );
  }
  const serveStaleMs = options.serveStaleMs ?? DEFAULT_SERVE_STALE_MS;
  check(
    Number.isFinite(serveStaleMs) && serveStaleMs >= 0,
    'serve_stale DURATION must be >= 0',
    serveStaleMs,
  );
  const servfailMs = options.servfailMs ?? DEFAULT_SERVFAIL_MS;
  check(
    Number.isFinite(servfailMs) && servfailMs >= MIN_SERVFAIL_MS && servfailMs <= MAX_SERVFAIL_MS,
    'servfail DURATION must be between 1 s (RFC 9520) and 5 min (RFC 2308 §7.1)',
    servfailMs,
  );
  return { success, denial, prefetch, serveStaleMs, servfailMs };
}
