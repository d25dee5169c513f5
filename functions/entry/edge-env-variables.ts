// The edge's environment variables (functions/entry/README.md "The edge's settings"), each with
// the check of its text (edge-env-checks.ts) and, when it must be set, the message saying so.
import { parseIp } from '../core/ip.ts';
import {
  TTL_MAX_SECONDS,
  ZONE_NAME,
  ZONE_NAME_EXPECTED,
  normalizeZoneName,
} from '../../common/config/zone-name.ts';
import { EDGE_DEADLINE_RANGE } from './edge-deadline.ts';
import { CLUSTER_ID, parseClusterZone } from '../clusters/cluster-zone-text.ts';
import { edgeAuthVariables } from './edge-auth-config.ts';
import { parseClientZone } from './edge-client-zones.ts';
import {
  Invalid,
  dohUrl,
  duration,
  httpUrl,
  list,
  matching,
  region,
  token,
  wholeNumber,
  type Check,
} from './edge-env-checks.ts';

/** Per-request metric lines (functions/observe/edge-metric-line.ts), or none. */
export type EdgeMetricsFormat = 'off' | 'emf' | 'json';

/** The variables read, each with its check; `required` is the message when it is missing. */
export const edgeVariables = {
  EDGE_DNS_TABLE: {
    check: matching(
      /^[a-zA-Z0-9_.-]{3,255}$/,
      'expected a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)',
    ),
    required: 'required: the DynamoDB table the sync writes',
  },
  /** Required unless EDGE_DNS_CLUSTER_ZONES is set (edge-config.ts checks it). */
  EDGE_DNS_CLUSTER: {
    check: matching(
      CLUSTER_ID,
      'expected a cluster id: 1-63 lowercase letters, digits and "-" (like a DNS label)',
    ),
  },
  /** One zone answering the clusters of EDGE_DNS_CLUSTER_ZONES merged (clusterset-store.ts). */
  EDGE_DNS_CLUSTERSET_ZONE: {
    check: (s: string) =>
      ZONE_NAME.test(s) ? normalizeZoneName(s) : new Invalid(ZONE_NAME_EXPECTED),
  },
  /** ZONE=CLUSTER,...: zones answered from other clusters' items (edge-cluster-zones.ts). */
  EDGE_DNS_CLUSTER_ZONES: {
    check: list((s) => {
      const v = parseClusterZone(s);
      return typeof v === 'string' ? new Invalid(v) : v;
    }),
  },
  /** CIDR=ZONE,...: the clients' topology zones, for the order of answers (edge-client-zones.ts). */
  EDGE_DNS_CLIENT_ZONES: {
    check: list((s) => {
      const v = parseClientZone(s);
      return typeof v === 'string' ? new Invalid(v) : v;
    }),
  },
  EDGE_DNS_REGION: { check: region },
  AWS_REGION: { check: region },
  EDGE_DNS_DYNAMODB_ENDPOINT: { check: httpUrl },
  EDGE_DNS_TOKENS: { check: list(token) },
  /** JWTs, their scope policy and the budget per token (edge-auth-config.ts). */
  ...edgeAuthVariables,
  EDGE_DNS_PUBLIC: {
    check: (s: string) =>
      /^(true|false)$/i.test(s)
        ? s.toLowerCase() === 'true'
        : new Invalid('expected true or false'),
  },
  /** Answer the `file` zones and `hosts` sources the sync publishes (edge-zones.ts). */
  EDGE_DNS_FILE_HOSTS: {
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
  /** CoreDNS k8s_external zones: LoadBalancer and external IPs the sync publishes (`--external-zone`). */
  EDGE_DNS_EXTERNAL_ZONES: {
    check: list((s) =>
      ZONE_NAME.test(s) ? normalizeZoneName(s) : new Invalid(ZONE_NAME_EXPECTED),
    ),
  },
  EDGE_DNS_EXTERNAL_TTL: {
    check: wholeNumber(0, TTL_MAX_SECONDS, "seconds (the sync's --external-ttl)"),
  },
  EDGE_DNS_EXTERNAL_APEX: {
    check: matching(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      "expected one DNS label (the sync's --external-apex)",
    ),
  },
  EDGE_DNS_CACHE_TTL: { check: wholeNumber(0, 86_400, 'seconds') },
  EDGE_DNS_CACHE_ENTRIES: { check: wholeNumber(1, 10_000_000, 'a number of entries') },
  EDGE_DNS_SERIAL_CHECK: { check: wholeNumber(0, 3600, 'seconds (0: no serial check, TTL-only)') },
  /** The whole answer's deadline (edge-deadline.ts, docs/architecture.md §5.7). */
  EDGE_DNS_DEADLINE: { check: duration(EDGE_DEADLINE_RANGE.min, EDGE_DEADLINE_RANGE.max) },
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

/** A variable's name. */
export type EdgeVariable = keyof typeof edgeVariables;
/** Each variable's checked value, undefined when it is unset (or bad). */
export type EdgeValues = {
  [K in EdgeVariable]?: Exclude<ReturnType<(typeof edgeVariables)[K]['check']>, Invalid>;
};
