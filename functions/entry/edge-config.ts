import { parseIp } from '../core/ip.ts';
import { ConfigError } from '../../common/config/config-error.ts';
import {
  TTL_MAX_SECONDS,
  ZONE_NAME,
  ZONE_NAME_EXPECTED,
  normalizeZoneName,
} from '../../common/config/zone-name.ts';

// The edge entries' configuration (functions/entry/lambda.ts: process.env; workers.ts: the env
// bindings), validated once at init. Every error names the variable and what was expected, and
// every problem is reported at once. Closed by default: cluster names are internal data,
// so the edge serves them only to bearer tokens (EDGE_DNS_TOKENS), or to anyone after an explicit
// EDGE_DNS_PUBLIC=true.
//
// Plain checks rather than zod (which the container's and the sync's configuration use): zod is
// about 90 KB of the edge bundles and builds its schemas at import, and the Workers bundle has a
// 250 KB budget (docs/architecture.md §7). The zone and TTL rules are the container's
// (common/config/zone-name.ts).

export interface EdgeConfig {
  /** DynamoDB: the table the sync writes, and the cluster id it publishes as. */
  table: string;
  cluster: string;
  region: string;
  /** Another endpoint than AWS's (dynalite in tests). */
  endpoint?: string;
  /** Bearer tokens that may query, or 'public' (explicit). */
  auth: { tokens: string[] } | 'public';
  /** As the container's `kubernetes` keys (sync/config/kubernetes-config.ts). */
  kubernetes: { zones: string[]; ttl: number; nsAddresses: string[] };
  /** The per-instance lookup cache (functions/store/cached.ts). `serialCheckSeconds`: how often
   *  the sync's change counter is read (functions/store/serial-watch.ts); 0 = TTL-only. */
  cache: { ttlSeconds: number; maxEntries: number; serialCheckSeconds: number };
  /** DoH upstreams for names outside the zones (docs/architecture.md §6.12); absent: REFUSED. */
  forward?: { upstreams: string[]; policy: 'random' | 'round_robin' | 'sequential' };
  /** Per-request metric lines (functions/observe/edge-metric-line.ts), when a variable sets them;
   *  what is not set is the runtime's default (edge-app.ts). */
  metrics?: { format?: EdgeMetricsFormat; sampleRate?: number };
}

export type EdgeMetricsFormat = 'off' | 'emf' | 'json';

export const edgeDefaults = {
  zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
  ttl: 5,
  /** Longest a DynamoDB change takes to show at a warm instance, on top of the sync's delay. */
  cacheTtlSeconds: 30,
  /** A 10,000-service cluster has about 45,000 names (bench/generate-cluster.ts). */
  cacheEntries: 50_000,
  /** One counter read per second per instance: a change shows within about that long. */
  serialCheckSeconds: 1,
} as const;

/** A value as given, or undefined when unset or empty ('' is what templated env files leave). */
function given(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // wrangler [vars] may be JSON
  if (typeof v !== 'string') return v;
  const s = v.trim();
  return s === '' ? undefined : s;
}

/** A failed check: the message, and the list index it concerns (EDGE_DNS_TOKENS[1]). */
class Invalid {
  constructor(
    readonly message: string,
    readonly index?: number,
  ) {}
}

/** A check of one variable's text: its value, or an Invalid. */
type Check<T> = (s: string) => T | Invalid;

const matching =
  (re: RegExp, expected: string): Check<string> =>
  (s) =>
    re.test(s) ? s : new Invalid(expected);

const wholeNumber =
  (min: number, max: number, what: string): Check<number> =>
  (s) => {
    if (!/^\d+$/.test(s)) return new Invalid(`expected ${what}: a whole number ${min}..${max}`);
    const n = Number(s);
    if (n < min) return new Invalid(`expected ${what}: at least ${min}`);
    if (n > max) return new Invalid(`expected ${what}: at most ${max}`);
    return n;
  };

const atLeastOne = 'expected at least one value';

/** A comma-separated list (blanks around and between commas ignored), each item checked. */
const list =
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

const region = matching(/^[a-z0-9-]+$/, 'expected an AWS region such as eu-west-1');

/** RFC 6750 §2.1 b64token without '/' (a token may be a path segment, /dns-query/<token>). */
const token: Check<string> = (s) => {
  if (!/^[A-Za-z0-9._~+=-]+$/.test(s))
    return new Invalid('expected a token of A-Z a-z 0-9 . _ ~ + = - (e.g. `openssl rand -hex 24`)');
  if (s.length < 16)
    return new Invalid('expected a token of at least 16 characters (e.g. `openssl rand -hex 24`)');
  return s;
};

const httpUrl: Check<string> = (s) => {
  const expected = new Invalid('expected an http(s) URL such as http://127.0.0.1:8000');
  try {
    return /^https?:$/.test(new URL(s).protocol) ? s : expected;
  } catch {
    return expected;
  }
};

/** RFC 8484 URL: https, or http to a loopback address (tests, a local sidecar). */
const dohUrl: Check<string> = (s) => {
  const expected = new Invalid(
    'expected an https:// DoH URL such as https://dns.example/dns-query (http:// only to 127.0.0.1, [::1] or localhost)',
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

/** The variables read, each with its check; `required` is the message when it is missing. */
const variables = {
  EDGE_DNS_TABLE: {
    check: matching(
      /^[a-zA-Z0-9_.-]{3,255}$/,
      'expected a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)',
    ),
    required: 'required: the DynamoDB table the sync writes',
  },
  EDGE_DNS_CLUSTER: {
    check: matching(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      'expected a cluster id: 1-63 lowercase letters, digits and "-" (like a DNS label)',
    ),
    required: 'required: the cluster id the sync publishes as (its --cluster-id)',
  },
  EDGE_DNS_REGION: { check: region },
  AWS_REGION: { check: region },
  EDGE_DNS_DYNAMODB_ENDPOINT: { check: httpUrl },
  EDGE_DNS_TOKENS: { check: list(token) },
  EDGE_DNS_PUBLIC: {
    check: (s: string) =>
      /^(true|false)$/i.test(s)
        ? s.toLowerCase() === 'true'
        : new Invalid('expected true or false'),
  },
  EDGE_DNS_ZONES: {
    check: list((s) =>
      ZONE_NAME.test(s) ? normalizeZoneName(s) : new Invalid(ZONE_NAME_EXPECTED),
    ),
  },
  EDGE_DNS_TTL: {
    check: (s: string) =>
      /^\d+$/.test(s) && Number(s) <= TTL_MAX_SECONDS
        ? Number(s)
        : new Invalid(`expected a whole number of seconds, 0..${TTL_MAX_SECONDS}`),
  },
  EDGE_DNS_NS_ADDRESSES: {
    check: list((s) => (parseIp(s) ? s : new Invalid('expected an IPv4 or IPv6 address'))),
  },
  EDGE_DNS_CACHE_TTL: { check: wholeNumber(0, 86_400, 'seconds') },
  EDGE_DNS_CACHE_ENTRIES: { check: wholeNumber(1, 10_000_000, 'a number of entries') },
  EDGE_DNS_SERIAL_CHECK: { check: wholeNumber(0, 3600, 'seconds (0: no serial check, TTL-only)') },
  EDGE_DNS_FORWARD: { check: list(dohUrl) },
  EDGE_DNS_FORWARD_POLICY: {
    check: matching(
      /^(random|round_robin|sequential)$/,
      'expected random, round_robin or sequential',
    ),
  },
  EDGE_DNS_METRICS: {
    check: matching(
      /^(off|emf|json)$/,
      'expected off, emf (CloudWatch Embedded Metric Format lines) or json (one JSON line per request)',
    ) as Check<EdgeMetricsFormat>,
  },
  EDGE_DNS_METRICS_SAMPLE: {
    check: (s: string) =>
      /^(0|1|0?\.\d+|1\.0*)$/.test(s)
        ? Number(s)
        : new Invalid('expected the share of requests that get a metric line, 0..1 (e.g. 0.1)'),
  },
} satisfies Record<string, { check: Check<unknown>; required?: string }>;

type Variables = typeof variables;
type Name = keyof Variables;
/** Each variable's checked value, undefined when it is unset (or bad: then `problems` says so). */
type Values = { [K in Name]?: Exclude<ReturnType<Variables[K]['check']>, Invalid> };

/**
 * The edge configuration from environment variables (Lambda: process.env; Workers: the env
 * bindings). Other keys are ignored. Throws ConfigError naming each bad variable; a message never
 * repeats a value (a token must not reach a log).
 */
export function edgeConfigFromEnv(env: Record<string, unknown>): EdgeConfig {
  const problems: string[] = [];
  const problem = (name: string, message: string) =>
    problems.push(`environment: ${name}: ${message}`);
  const e: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(variables) as [
    Name,
    { check: Check<unknown>; required?: string },
  ][]) {
    const raw = given(env[name]);
    if (raw === undefined && !spec.required) continue;
    if (typeof raw !== 'string') {
      problem(name, spec.required ?? 'expected text (a string variable or binding)');
      continue;
    }
    const v = spec.check(raw);
    if (v instanceof Invalid)
      problem(v.index === undefined ? name : `${name}[${v.index}]`, v.message);
    else e[name] = v;
  }
  const values = e as Values;
  // Across variables; checked also when another variable is bad, so every problem shows at once.
  if (given(env.EDGE_DNS_REGION) === undefined && given(env.AWS_REGION) === undefined) {
    problem(
      'EDGE_DNS_REGION',
      "required: the table's AWS region (Lambda sets AWS_REGION; on Workers set EDGE_DNS_REGION)",
    );
  }
  const open = values.EDGE_DNS_PUBLIC === true;
  const tokensGiven = given(env.EDGE_DNS_TOKENS) !== undefined;
  if (open && tokensGiven)
    problem(
      'EDGE_DNS_PUBLIC',
      'choose one: EDGE_DNS_TOKENS (only those bearer tokens may query) or EDGE_DNS_PUBLIC=true (anyone), not both',
    );
  if (!open && !tokensGiven) {
    problem(
      'EDGE_DNS_TOKENS',
      'required: comma-separated bearer tokens that may query; closed by default, since cluster names are internal data (or set EDGE_DNS_PUBLIC=true to answer anyone)',
    );
  }
  if (values.EDGE_DNS_FORWARD_POLICY !== undefined && values.EDGE_DNS_FORWARD === undefined)
    problem('EDGE_DNS_FORWARD_POLICY', 'set EDGE_DNS_FORWARD (the DoH upstreams) too');
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  const policy = (values.EDGE_DNS_FORWARD_POLICY ?? 'random') as NonNullable<
    EdgeConfig['forward']
  >['policy'];

  return {
    table: values.EDGE_DNS_TABLE!,
    cluster: values.EDGE_DNS_CLUSTER!,
    region: (values.EDGE_DNS_REGION ?? values.AWS_REGION)!,
    ...(values.EDGE_DNS_DYNAMODB_ENDPOINT !== undefined && {
      endpoint: values.EDGE_DNS_DYNAMODB_ENDPOINT,
    }),
    auth: values.EDGE_DNS_TOKENS ? { tokens: [...new Set(values.EDGE_DNS_TOKENS)] } : 'public',
    kubernetes: {
      zones: values.EDGE_DNS_ZONES ?? [...edgeDefaults.zones],
      ttl: values.EDGE_DNS_TTL ?? edgeDefaults.ttl,
      nsAddresses: values.EDGE_DNS_NS_ADDRESSES ?? [],
    },
    cache: {
      ttlSeconds: values.EDGE_DNS_CACHE_TTL ?? edgeDefaults.cacheTtlSeconds,
      maxEntries: values.EDGE_DNS_CACHE_ENTRIES ?? edgeDefaults.cacheEntries,
      serialCheckSeconds: values.EDGE_DNS_SERIAL_CHECK ?? edgeDefaults.serialCheckSeconds,
    },
    ...(values.EDGE_DNS_FORWARD && { forward: { upstreams: values.EDGE_DNS_FORWARD, policy } }),
    ...((values.EDGE_DNS_METRICS ?? values.EDGE_DNS_METRICS_SAMPLE) !== undefined && {
      metrics: {
        ...(values.EDGE_DNS_METRICS && { format: values.EDGE_DNS_METRICS }),
        ...(values.EDGE_DNS_METRICS_SAMPLE !== undefined && {
          sampleRate: values.EDGE_DNS_METRICS_SAMPLE,
        }),
      },
    }),
  };
}

export { ConfigError };
