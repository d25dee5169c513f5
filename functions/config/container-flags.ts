import { parseArgs } from 'node:util';
import { commaList, kubernetesFlags, kubernetesFromFlags, readConfigFile, wholeNumber } from './config-file.ts';
import { ConfigError, validateConfig, type ContainerConfig } from './container-config.ts';

export const usage = `usage: edge-dns [--config FILE] [--snapshot FILE]... | [--kubeconfig FILE | --in-cluster]
  [--dns HOST:PORT] [--doh HOST:PORT [--doh-cert FILE --doh-key FILE]] [--health HOST:PORT]
  [--zones a,b] [--ttl N] [--pods disabled|insecure|verified] [--namespaces a,b]
  [--endpoint-pod-names] [--ignore-empty-service] [--ns-addresses ip,ip]
  [--tcp-idle-timeout MS] [--tcp-max-connections N]`;

/**
 * The configuration from `--config FILE` (YAML or JSON) with the flags laid over it; flags mirror
 * the file's keys. `readText` reads a file (the entry passes fs). Throws ConfigError.
 */
export function configFromArgs(argv: string[], readText: (path: string) => string): ContainerConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        config: { type: 'string' },
        snapshot: { type: 'string', multiple: true },
        ...kubernetesFlags,
        health: { type: 'string' },
        doh: { type: 'string' },
        'doh-cert': { type: 'string' },
        'doh-key': { type: 'string' },
        dns: { type: 'string' },
        'ns-addresses': { type: 'string' },
        'tcp-idle-timeout': { type: 'string' },
        'tcp-max-connections': { type: 'string' },
      },
    });
  } catch (error) {
    throw new ConfigError(`command line: ${(error as Error).message}\n${usage}`);
  }
  const flags = parsed.values;
  let file: Record<string, any> = {};
  let source = 'command line';
  if (flags.config !== undefined) {
    source = `${flags.config} (with command-line flags)`;
    file = readConfigFile(flags.config, readText, 'dns, doh, health, snapshots, kubernetes');
    // Validate the file alone first so its errors name the file, not the flags.
    validateConfig(file, flags.config);
  }
  const number = wholeNumber;
  const k8s = kubernetesFromFlags(file.kubernetes, flags);
  if (flags['ns-addresses'] !== undefined) k8s.nsAddresses = commaList(flags['ns-addresses']);
  const dns = { ...(file.dns ?? {}), tcp: { ...(file.dns?.tcp ?? {}) } };
  if (flags.dns !== undefined) dns.listen = flags.dns;
  if (flags['tcp-idle-timeout'] !== undefined) dns.tcp.idleTimeoutMs = number('tcp-idle-timeout', flags['tcp-idle-timeout']);
  if (flags['tcp-max-connections'] !== undefined) dns.tcp.maxConnections = number('tcp-max-connections', flags['tcp-max-connections']);
  const doh = { ...(file.doh ?? {}) };
  if (flags.doh !== undefined) doh.listen = flags.doh;
  if (flags['doh-cert'] !== undefined) doh.cert = flags['doh-cert'];
  if (flags['doh-key'] !== undefined) doh.key = flags['doh-key'];
  const health = { ...(file.health ?? {}) };
  if (flags.health !== undefined) health.listen = flags.health;
  const snapshots = [...(file.snapshots ?? []), ...(flags.snapshot ?? [])];
  return validateConfig({ ...file, dns, doh, health, kubernetes: k8s, snapshots }, source);
}
