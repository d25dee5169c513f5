import { parseArgs } from 'node:util';
import { ConfigError } from '../../common/config/config-error.ts';
import { readConfigFile, wholeNumber } from '../../common/config/config-file.ts';
import { kubernetesFlags, kubernetesFromFlags } from './kubernetes-config.ts';
import { validateSyncConfig, type SyncConfig } from './sync-config.ts';

const syncUsage = `usage: edge-dns-sync --cluster-id ID --table NAME [--region R] [--dynamodb-endpoint URL]
  (--kubeconfig FILE | --in-cluster | --once --snapshot FILE...) [--config FILE]
  [--zones a,b] [--ttl N] [--pods disabled|insecure|verified] [--namespaces a,b]
  [--endpoint-pod-names] [--ignore-empty-service]
  [--lease-namespace NS] [--lease-name NAME] [--identity ID] [--health HOST:PORT]
  [--once] [--resync-seconds N]`;

/** Defaults the entry reads from the environment (AWS_REGION, POD_NAMESPACE, POD_NAME). */
export interface SyncEnvDefaults {
  region?: string;
  leaseNamespace?: string;
  identity?: string;
}

/** `--config FILE` with the flags laid over it, then the environment's defaults. Throws ConfigError. */
export function syncConfigFromArgs(
  argv: string[],
  readText: (path: string) => string,
  env: SyncEnvDefaults = {},
): SyncConfig {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      strict: true,
      options: {
        config: { type: 'string' },
        ...kubernetesFlags,
        'cluster-id': { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        'dynamodb-endpoint': { type: 'string' },
        'lease-namespace': { type: 'string' },
        'lease-name': { type: 'string' },
        identity: { type: 'string' },
        health: { type: 'string' },
        once: { type: 'boolean' },
        snapshot: { type: 'string', multiple: true },
        'resync-seconds': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new ConfigError(`command line: ${(error as Error).message}\n${syncUsage}`);
  }
  let file: Record<string, any> = {};
  let source = 'command line';
  if (flags.config !== undefined) {
    source = `${flags.config} (with command-line flags)`;
    file = readConfigFile(
      flags.config,
      readText,
      'clusterId, dynamodb, kubernetes, lease, health, once, snapshots, resyncSeconds',
    );
  }
  const dynamodb = { region: env.region, ...(file.dynamodb ?? {}) };
  if (flags.table !== undefined) dynamodb.table = flags.table;
  if (flags.region !== undefined) dynamodb.region = flags.region;
  if (flags['dynamodb-endpoint'] !== undefined) dynamodb.endpoint = flags['dynamodb-endpoint'];
  const lease = { namespace: env.leaseNamespace, identity: env.identity, ...(file.lease ?? {}) };
  if (flags['lease-namespace'] !== undefined) lease.namespace = flags['lease-namespace'];
  if (flags['lease-name'] !== undefined) lease.name = flags['lease-name'];
  if (flags.identity !== undefined) lease.identity = flags.identity;
  const health = { ...(file.health ?? {}) };
  if (flags.health !== undefined) health.listen = flags.health;
  const config = {
    ...file,
    dynamodb,
    lease,
    health,
    kubernetes: kubernetesFromFlags(file.kubernetes, flags),
    clusterId: flags['cluster-id'] ?? file.clusterId,
    once: flags.once ?? file.once,
    snapshots: [...(file.snapshots ?? []), ...(flags.snapshot ?? [])],
    resyncSeconds: wholeNumber('resync-seconds', flags['resync-seconds']) ?? file.resyncSeconds,
  };
  return validateSyncConfig(config, source);
}
