import { readCommand, type Command, type CommandSpec } from '../../common/config/command-line.ts';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { kubernetesFlags } from './kubernetes-config.ts';
import { validateSyncConfig, type SyncConfig } from './sync-config.ts';

// The sync's command line: one row per flag (common/config/flag-table.ts), each setting one key
// of the configuration file; --help is generated from these rows. Adding a flag is adding a row;
// its key must exist in sync-config.ts.

export const syncFlags: readonly FlagRow[] = [
  {
    flag: 'cluster-id',
    value: 'ID',
    key: 'clusterId',
    type: 'string',
    help: "the cluster's id in the table (a DNS label; the sort key of every item it owns)",
  },
  {
    flag: 'table',
    value: 'NAME',
    key: 'dynamodb.table',
    type: 'string',
    help: 'the DynamoDB table to write',
  },
  {
    flag: 'region',
    value: 'REGION',
    key: 'dynamodb.region',
    type: 'string',
    default: '$AWS_REGION',
    help: "the table's AWS region",
  },
  {
    flag: 'dynamodb-endpoint',
    value: 'URL',
    key: 'dynamodb.endpoint',
    type: 'string',
    default: 'AWS',
    help: 'another DynamoDB endpoint (dynalite, DynamoDB Local)',
  },
  {
    flag: 'dynamodb-timeout',
    value: 'DURATION',
    key: 'dynamodb.timeoutMs',
    type: 'string',
    default: '5s',
    help: 'deadline of one DynamoDB call; a stalled one is abandoned and retried with backoff',
  },
  ...kubernetesFlags,
  {
    flag: 'export-zone',
    value: 'ZONE',
    key: 'exportZone',
    type: 'string',
    default: 'none',
    help: 'publish the Services with a ServiceExport under ZONE (the clusterset zone, e.g. clusterset.local)',
  },
  {
    flag: 'create-table',
    key: 'createTable',
    type: 'boolean',
    default: 'off',
    help: 'create the DynamoDB table unless it exists, wait until ACTIVE; without a source, then exit',
  },
  {
    flag: 'once',
    key: 'once',
    type: 'boolean',
    default: 'off',
    help: 'publish once and exit: a full list of the live cluster, or the --snapshot files',
  },
  {
    flag: 'snapshot',
    value: 'FILE',
    key: 'snapshots',
    type: 'string',
    repeat: true,
    help: 'with --once: publish this kubectl dump instead of a live cluster',
  },
  {
    flag: 'corefile',
    value: 'FILE',
    key: 'corefile',
    type: 'string',
    default: 'off',
    coredns: 'file and hosts',
    help: "publish this Corefile's file zones and hosts sources too, re-read on their reload intervals",
  },
  {
    flag: 'lease-namespace',
    value: 'NS',
    key: 'lease.namespace',
    type: 'string',
    default: '$POD_NAMESPACE or default',
    help: 'namespace of the coordination.k8s.io Lease; only its holder writes',
  },
  {
    flag: 'lease-name',
    value: 'NAME',
    key: 'lease.name',
    type: 'string',
    default: 'edge-dns-sync-CLUSTER',
    help: 'name of the Lease',
  },
  {
    flag: 'identity',
    value: 'ID',
    key: 'lease.identity',
    type: 'string',
    default: '$POD_NAME or the host name',
    help: "this replica's name in the Lease",
  },
  {
    flag: 'health',
    value: 'HOST:PORT',
    key: 'health.listen',
    type: 'string',
    default: 'off',
    coredns: 'health and ready',
    help: 'HTTP probes: GET /health (serving) and GET /ready (first full list done)',
  },
  {
    flag: 'metrics',
    value: 'HOST:PORT',
    key: 'metrics.listen',
    type: 'string',
    default: 'off',
    coredns: 'prometheus',
    help: 'Prometheus GET /metrics: the edge_dns_sync_* series and process defaults',
  },
  {
    flag: 'resync-seconds',
    value: 'SECONDS',
    key: 'resyncSeconds',
    type: 'number',
    range: [0, 86_400],
    default: '600',
    help: 're-plan everything (and re-read what the table holds) this often; 0 never',
  },
];

/** Defaults the entry reads from the environment (AWS_REGION, POD_NAMESPACE, POD_NAME). */
export interface SyncEnvDefaults {
  region?: string;
  leaseNamespace?: string;
  identity?: string;
}

const syncCommand = (env: SyncEnvDefaults): CommandSpec<SyncConfig> => ({
  command: 'edge-dns-sync',
  summary:
    'Watches a Kubernetes cluster and publishes its DNS records to DynamoDB while holding a Lease.',
  rows: syncFlags,
  fileKeys:
    'clusterId, dynamodb, kubernetes, exportZone, lease, health, metrics, once, snapshots, resyncSeconds, corefile',
  pathKeys: ['snapshots[]', 'kubernetes.kubeconfig', 'corefile'],
  validate: validateSyncConfig,
  defaults: {
    dynamodb: { region: env.region },
    lease: { namespace: env.leaseNamespace, identity: env.identity },
  },
});

/** What the command line asks for: help, the version, or a configuration. Throws ConfigError. */
export function syncCommandFromArgs(
  argv: string[],
  readText: (path: string) => string,
  env: SyncEnvDefaults = {},
): Command<SyncConfig> {
  return readCommand(syncCommand(env), argv, readText);
}

/** `--config FILE` with the flags laid over it, then the environment's defaults. Throws ConfigError. */
export function syncConfigFromArgs(
  argv: string[],
  readText: (path: string) => string,
  env: SyncEnvDefaults = {},
): SyncConfig {
  const command = syncCommandFromArgs(argv, readText, env);
  if (!('config' in command)) throw new Error(`${argv.join(' ')}: not a configuration`);
  return command.config;
}
