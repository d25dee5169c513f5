import * as z from 'zod';
import { kubernetesSchema, validateWith } from './fields.ts';

// The edge entries' configuration (functions/entry/lambda.ts: process.env; workers.ts: the env
// bindings), validated once at init. Every error names the variable and what was expected.
// Closed by default (issue 4): cluster names are internal data, so the edge serves them only to
// bearer tokens (EDGE_DNS_TOKENS), or to anyone after an explicit EDGE_DNS_PUBLIC=true.

export interface EdgeConfig {
  /** DynamoDB: the table the sync writes, and the cluster id it publishes as. */
  table: string;
  cluster: string;
  region: string;
  /** Another endpoint than AWS's (dynalite in tests). */
  endpoint?: string;
  /** Bearer tokens that may query, or 'public' (explicit). */
  auth: { tokens: string[] } | 'public';
  /** As the container's `kubernetes` keys (functions/config/fields.ts). */
  kubernetes: { zones: string[]; ttl: number; nsAddresses: string[] };
  /** The per-instance lookup cache (functions/store/cached.ts). `serialCheckSeconds`: how often
   *  the sync's change counter is read (functions/store/serial-watch.ts); 0 = TTL-only. */
  cache: { ttlSeconds: number; maxEntries: number; serialCheckSeconds: number };
}

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

const commaSeparated = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));
const atLeastOne = 'expected at least one value';
/** The container's rules for the same keys (zones, ttl). */
const k8s = kubernetesSchema.unwrap().shape;

const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}: a whole number ${min}..${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `expected ${what}: at least ${min}`).max(max, `expected ${what}: at most ${max}`));

/** RFC 6750 §2.1 b64token without '/' (a token may be a path segment, /dns-query/<token>). */
const token = z
  .string()
  .regex(/^[A-Za-z0-9._~+=-]+$/, 'expected a token of A-Z a-z 0-9 . _ ~ + = - (e.g. `openssl rand -hex 24`)')
  .min(16, 'expected a token of at least 16 characters (e.g. `openssl rand -hex 24`)');

const envSchema = z
  .object({
    EDGE_DNS_TABLE: z
      .string({ error: 'required: the DynamoDB table the sync writes' })
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'expected a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)'),
    EDGE_DNS_CLUSTER: z
      .string({ error: 'required: the cluster id the sync publishes as (its --cluster-id)' })
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a cluster id: 1-63 lowercase letters, digits and "-" (like a DNS label)'),
    EDGE_DNS_REGION: z.string().regex(/^[a-z0-9-]+$/, 'expected an AWS region such as eu-west-1').optional(),
    AWS_REGION: z.string().regex(/^[a-z0-9-]+$/, 'expected an AWS region such as eu-west-1').optional(),
    EDGE_DNS_DYNAMODB_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:8000' }).optional(),
    EDGE_DNS_TOKENS: commaSeparated.pipe(z.array(token).min(1, atLeastOne)).optional(),
    EDGE_DNS_PUBLIC: z
      .string()
      .regex(/^(true|false)$/i, 'expected true or false')
      .transform((v) => v.toLowerCase() === 'true')
      .optional(),
    EDGE_DNS_ZONES: commaSeparated.pipe(k8s.zones.unwrap()).optional(),
    EDGE_DNS_TTL: z.string().regex(/^\d+$/, 'expected a whole number of seconds').transform(Number).pipe(k8s.ttl.unwrap()).optional(),
    EDGE_DNS_NS_ADDRESSES: commaSeparated.pipe(z.array(z.union([z.ipv4(), z.ipv6()], { error: 'expected an IPv4 or IPv6 address' })).min(1, atLeastOne)).optional(),
    EDGE_DNS_CACHE_TTL: wholeNumber(0, 86_400, 'seconds').optional(),
    EDGE_DNS_CACHE_ENTRIES: wholeNumber(1, 10_000_000, 'a number of entries').optional(),
    EDGE_DNS_SERIAL_CHECK: wholeNumber(0, 3600, 'seconds (0: no serial check, TTL-only)').optional(),
  })
  .superRefine((e, ctx) => {
    if (e.EDGE_DNS_REGION === undefined && e.AWS_REGION === undefined) {
      ctx.addIssue({ code: 'custom', path: ['EDGE_DNS_REGION'], message: "required: the table's AWS region (Lambda sets AWS_REGION; on Workers set EDGE_DNS_REGION)" });
    }
    const open = e.EDGE_DNS_PUBLIC === true;
    if (open && e.EDGE_DNS_TOKENS) {
      ctx.addIssue({ code: 'custom', path: ['EDGE_DNS_PUBLIC'], message: 'choose one: EDGE_DNS_TOKENS (only those bearer tokens may query) or EDGE_DNS_PUBLIC=true (anyone), not both' });
    }
    if (!open && !e.EDGE_DNS_TOKENS) {
      ctx.addIssue({
        code: 'custom',
        path: ['EDGE_DNS_TOKENS'],
        message: 'required: comma-separated bearer tokens that may query; closed by default, since cluster names are internal data (or set EDGE_DNS_PUBLIC=true to answer anyone)',
      });
    }
    // Also when another variable is bad: every problem is reported at once.
  }, { when: () => true });

const VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/**
 * The edge configuration from environment variables (Lambda: process.env; Workers: the env
 * bindings). Other keys are ignored. Throws ConfigError naming each bad variable.
 */
export function edgeConfigFromEnv(env: Record<string, unknown>): EdgeConfig {
  const picked = Object.fromEntries(VARIABLES.map((k) => [k, given(env[k])]));
  const e = validateWith(envSchema, picked, 'environment');
  return {
    table: e.EDGE_DNS_TABLE,
    cluster: e.EDGE_DNS_CLUSTER,
    region: (e.EDGE_DNS_REGION ?? e.AWS_REGION)!,
    ...(e.EDGE_DNS_DYNAMODB_ENDPOINT !== undefined && { endpoint: e.EDGE_DNS_DYNAMODB_ENDPOINT }),
    auth: e.EDGE_DNS_TOKENS ? { tokens: [...new Set(e.EDGE_DNS_TOKENS)] } : 'public',
    kubernetes: {
      zones: e.EDGE_DNS_ZONES ?? [...edgeDefaults.zones],
      ttl: e.EDGE_DNS_TTL ?? edgeDefaults.ttl,
      nsAddresses: e.EDGE_DNS_NS_ADDRESSES ?? [],
    },
    cache: {
      ttlSeconds: e.EDGE_DNS_CACHE_TTL ?? edgeDefaults.cacheTtlSeconds,
      maxEntries: e.EDGE_DNS_CACHE_ENTRIES ?? edgeDefaults.cacheEntries,
      serialCheckSeconds: e.EDGE_DNS_SERIAL_CHECK ?? edgeDefaults.serialCheckSeconds,
    },
  };
}

export { ConfigError } from './fields.ts';
