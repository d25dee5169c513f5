import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError, validateConfig, type ContainerConfig } from './container-config.ts';

export const usage = `usage: edge-dns [--config FILE] [--snapshot FILE]... | [--kubeconfig FILE | --in-cluster]
  [--dns HOST:PORT] [--health HOST:PORT]
  [--zones a,b] [--ttl N] [--pods disabled|insecure|verified] [--namespaces a,b]
  [--endpoint-pod-names] [--ignore-empty-service] [--ns-addresses ip,ip]
  [--tcp-idle-timeout MS] [--tcp-max-connections N]`;

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

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
        kubeconfig: { type: 'string' },
        'in-cluster': { type: 'boolean' },
        health: { type: 'string' },
        dns: { type: 'string' },
        zones: { type: 'string' },
        ttl: { type: 'string' },
        pods: { type: 'string' },
        namespaces: { type: 'string' },
        'endpoint-pod-names': { type: 'boolean' },
        'ignore-empty-service': { type: 'boolean' },
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
    let text: string;
    try {
      text = readText(flags.config);
    } catch (error) {
      throw new ConfigError(`${flags.config}: cannot read config file: ${(error as Error).message}`);
    }
    try {
      file = (parseYaml(text) as Record<string, any>) ?? {};
    } catch (error) {
      throw new ConfigError(`${flags.config}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
    }
    if (typeof file !== 'object' || Array.isArray(file)) throw new ConfigError(`${flags.config}: expected a mapping of keys (dns, health, snapshots, kubernetes)`);
    // Validate the file alone first so its errors name the file, not the flags.
    validateConfig(file, flags.config);
  }
  const number = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v)) throw new ConfigError(`command line: --${flag}: expected a whole number, got "${v}"`);
    return n;
  };
  const k8s = { ...(file.kubernetes ?? {}) };
  if (flags.zones !== undefined) k8s.zones = list(flags.zones);
  if (flags.ttl !== undefined) k8s.ttl = number('ttl', flags.ttl);
  if (flags.pods !== undefined) k8s.pods = flags.pods;
  if (flags.namespaces !== undefined) k8s.namespaces = list(flags.namespaces);
  if (flags['endpoint-pod-names']) k8s.endpointPodNames = true;
  if (flags['ignore-empty-service']) k8s.ignoreEmptyService = true;
  if (flags.kubeconfig !== undefined) k8s.kubeconfig = flags.kubeconfig;
  if (flags['in-cluster']) k8s.inCluster = true;
  if (flags['ns-addresses'] !== undefined) k8s.nsAddresses = list(flags['ns-addresses']);
  const dns = { ...(file.dns ?? {}), tcp: { ...(file.dns?.tcp ?? {}) } };
  if (flags.dns !== undefined) dns.listen = flags.dns;
  if (flags['tcp-idle-timeout'] !== undefined) dns.tcp.idleTimeoutMs = number('tcp-idle-timeout', flags['tcp-idle-timeout']);
  if (flags['tcp-max-connections'] !== undefined) dns.tcp.maxConnections = number('tcp-max-connections', flags['tcp-max-connections']);
  const health = { ...(file.health ?? {}) };
  if (flags.health !== undefined) health.listen = flags.health;
  const snapshots = [...(file.snapshots ?? []), ...(flags.snapshot ?? [])];
  return validateConfig({ ...file, dns, health, kubernetes: k8s, snapshots }, source);
}
