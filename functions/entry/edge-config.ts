import { ConfigError } from '../../common/config/config-error.ts';
import { given, Invalid, type Check } from './edge-env-checks.ts';
import {
  edgeVariables,
  type EdgeMetricsFormat,
  type EdgeValues,
  type EdgeVariable,
} from './edge-env-variables.ts';
import { edgeCorefileOf, type EdgeCorefile } from './edge-corefile.ts';
import type { ClusterZone } from '../clusters/cluster-zone.ts';
import { overlappingZones } from '../clusters/cluster-zone-text.ts';
import { EDGE_DEADLINE_MS } from './edge-deadline.ts';
import { edgeAuthOf, type EdgeAuth } from './edge-auth-config.ts';
import type { ClientZone } from './edge-client-zones.ts';

// The edge entries' configuration (functions/entry/lambda.ts: process.env; workers.ts: the env
// bindings), validated once at init. Every error names the variable and what was expected, and
// every problem is reported at once. Closed by default: cluster names are internal data,
// so the edge serves them only to bearer tokens (EDGE_DNS_TOKENS), or to anyone after an explicit
// EDGE_DNS_PUBLIC=true.
//
// Plain checks rather than zod (which the container's and the sync's configuration use): zod is
// about 90 KB of the edge bundles and builds its schemas at import, and the Workers bundle has a
// 250 KB budget (docs/architecture.md §7). The zone and TTL rules are the container's
// (common/config/zone-name.ts). The variables and their checks: edge-env-variables.ts,
// edge-env-checks.ts.

export interface EdgeConfig {
  /** DynamoDB: the table the sync writes, and the cluster id it publishes as. */
  table: string;
  cluster: string;
  /** EDGE_DNS_CLUSTER unset (only cluster zones are answered): `cluster` is then the first
   *  cluster zone's, read for the change counter and metric lines, and its domain is not served. */
  ownDomain: boolean;
  /** EDGE_DNS_CLUSTER_ZONES: zones answered from those clusters (edge-cluster-zones.ts). */
  clusterZones?: ClusterZone[];
  /** EDGE_DNS_CLUSTERSET_ZONE: those clusters merged under one zone (clusterset-store.ts). */
  clustersetZone?: string;
  region: string;
  /** Another endpoint than AWS's (dynalite in tests). */
  endpoint?: string;
  /** Bearer tokens and JWTs that may query, or 'public' (explicit): edge-auth-config.ts. */
  auth: EdgeAuth;
  /** As the container's `kubernetes` keys (sync/config/kubernetes-config.ts). */
  kubernetes: { zones: string[]; ttl: number; nsAddresses: string[] };
  /** EDGE_DNS_EXTERNAL_*: the k8s_external zones, as the sync's `kubernetes.external`. */
  external?: { zones: string[]; ttl: number; apex: string };
  /** The per-instance lookup cache (functions/store/cached.ts). `serialCheckSeconds`: how often
   *  the sync's change counter is read (functions/store/serial-watch.ts); 0 = TTL-only. */
  cache: { ttlSeconds: number; maxEntries: number; serialCheckSeconds: number };
  /** EDGE_DNS_DEADLINE: the whole answer's deadline, SERVFAIL past it (edge-deadline.ts). */
  deadlineMs: number;
  /** DoH upstreams for names outside the zones (docs/architecture.md §6.12); absent: REFUSED. */
  forward?: { upstreams: string[]; policy: 'random' | 'round_robin' | 'sequential' };
  /** Per-request metric lines (functions/observe/edge-metric-line.ts), when a variable sets them;
   *  what is not set is the runtime's default (edge-app.ts). */
  metrics?: { format?: EdgeMetricsFormat; sampleRate?: number };
  /** EDGE_DNS_FILE_HOSTS=true: answer the sync's `file` and `hosts` sources (edge-zones.ts). */
  fileHosts?: true;
  /** EDGE_DNS_CLIENT_ZONES: the clients' topology zones (edge-client-zones.ts, §6.21). */
  clientZones?: ClientZone[];
  /** The edge Corefile subset (edge-corefile.ts), when EDGE_DNS_COREFILE or the build gives one. */
  corefile?: EdgeCorefile;
}

export type { EdgeMetricsFormat };

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
  for (const [name, spec] of Object.entries(edgeVariables) as [
    EdgeVariable,
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
  const values = e as EdgeValues;
  // Across variables; checked also when another variable is bad, so every problem shows at once.
  if (given(env.EDGE_DNS_REGION) === undefined && given(env.AWS_REGION) === undefined) {
    problem(
      'EDGE_DNS_REGION',
      "required: the table's AWS region (Lambda sets AWS_REGION; on Workers set EDGE_DNS_REGION)",
    );
  }
  const auth = edgeAuthOf(values, env, problem);
  if (given(env.EDGE_DNS_CLUSTER) === undefined && given(env.EDGE_DNS_CLUSTER_ZONES) === undefined)
    problem(
      'EDGE_DNS_CLUSTER',
      'required: the cluster id the sync publishes as (its --cluster-id), unless EDGE_DNS_CLUSTER_ZONES names the clusters',
    );
  const clustersetZone = values.EDGE_DNS_CLUSTERSET_ZONE;
  const overlap =
    values.EDGE_DNS_CLUSTER_ZONES &&
    overlappingZones([
      ...values.EDGE_DNS_CLUSTER_ZONES,
      ...(clustersetZone ? [{ zone: clustersetZone, cluster: '' }] : []),
    ]);
  if (overlap) problem('EDGE_DNS_CLUSTER_ZONES', overlap);
  if (clustersetZone !== undefined && values.EDGE_DNS_CLUSTER_ZONES === undefined)
    problem('EDGE_DNS_CLUSTERSET_ZONE', 'set EDGE_DNS_CLUSTER_ZONES (the clusters it merges) too');
  if (clustersetZone !== undefined && values.EDGE_DNS_ZONES?.includes(clustersetZone))
    problem(
      'EDGE_DNS_CLUSTERSET_ZONE',
      'is also in EDGE_DNS_ZONES: one zone is either merged here or published by a sync',
    );
  externalProblems(values, problem);
  if (values.EDGE_DNS_FORWARD_POLICY !== undefined && values.EDGE_DNS_FORWARD === undefined)
    problem('EDGE_DNS_FORWARD_POLICY', 'set EDGE_DNS_FORWARD (the DoH upstreams) too');
  const corefile = edgeCorefileOf(env, (message) => problems.push(message));
  if (corefile?.forwards.length && values.EDGE_DNS_FORWARD)
    problem('EDGE_DNS_FORWARD', `${corefile.source} has forward: set the upstreams in one place`);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  const policy = (values.EDGE_DNS_FORWARD_POLICY ?? 'random') as NonNullable<
    EdgeConfig['forward']
  >['policy'];

  return {
    table: values.EDGE_DNS_TABLE!,
    cluster: (values.EDGE_DNS_CLUSTER ?? values.EDGE_DNS_CLUSTER_ZONES?.[0]?.cluster)!,
    ownDomain: values.EDGE_DNS_CLUSTER !== undefined,
    ...(values.EDGE_DNS_CLUSTER_ZONES && { clusterZones: values.EDGE_DNS_CLUSTER_ZONES }),
    ...(clustersetZone && { clustersetZone }),
    region: (values.EDGE_DNS_REGION ?? values.AWS_REGION)!,
    ...(values.EDGE_DNS_DYNAMODB_ENDPOINT !== undefined && {
      endpoint: values.EDGE_DNS_DYNAMODB_ENDPOINT,
    }),
    auth,
    kubernetes: {
      // With external zones, the cluster's own names only when EDGE_DNS_ZONES asks for them.
      zones:
        values.EDGE_DNS_ZONES ?? (values.EDGE_DNS_EXTERNAL_ZONES ? [] : [...edgeDefaults.zones]),
      ttl: values.EDGE_DNS_TTL ?? edgeDefaults.ttl,
      nsAddresses: values.EDGE_DNS_NS_ADDRESSES ?? [],
    },
    cache: {
      ttlSeconds: values.EDGE_DNS_CACHE_TTL ?? edgeDefaults.cacheTtlSeconds,
      maxEntries: values.EDGE_DNS_CACHE_ENTRIES ?? edgeDefaults.cacheEntries,
      serialCheckSeconds: values.EDGE_DNS_SERIAL_CHECK ?? edgeDefaults.serialCheckSeconds,
    },
    deadlineMs: values.EDGE_DNS_DEADLINE ?? EDGE_DEADLINE_MS,
    ...(values.EDGE_DNS_FORWARD && { forward: { upstreams: values.EDGE_DNS_FORWARD, policy } }),
    ...(values.EDGE_DNS_EXTERNAL_ZONES && {
      external: {
        zones: values.EDGE_DNS_EXTERNAL_ZONES,
        ttl: values.EDGE_DNS_EXTERNAL_TTL ?? edgeDefaults.ttl,
        apex: values.EDGE_DNS_EXTERNAL_APEX ?? 'dns',
      },
    }),
    ...(values.EDGE_DNS_FILE_HOSTS && { fileHosts: true as const }),
    ...(values.EDGE_DNS_CLIENT_ZONES && { clientZones: values.EDGE_DNS_CLIENT_ZONES }),
    ...(corefile && { corefile }),
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

/** EDGE_DNS_EXTERNAL_TTL and _APEX go with EDGE_DNS_EXTERNAL_ZONES, none of them a cluster zone. */
function externalProblems(values: EdgeValues, problem: (name: string, message: string) => void) {
  const zones = values.EDGE_DNS_EXTERNAL_ZONES;
  for (const name of ['EDGE_DNS_EXTERNAL_TTL', 'EDGE_DNS_EXTERNAL_APEX'] as const)
    if (values[name] !== undefined && !zones)
      problem(name, 'set EDGE_DNS_EXTERNAL_ZONES (the k8s_external zones) too');
  for (const zone of zones ?? [])
    if (values.EDGE_DNS_ZONES?.includes(zone))
      problem('EDGE_DNS_EXTERNAL_ZONES', `${zone} is also in EDGE_DNS_ZONES`);
}

export { ConfigError };
