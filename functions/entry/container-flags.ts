import { parseArgs } from 'node:util';
import { commaList, readConfigFile, wholeNumber } from '../../common/config/config-file.ts';
import { kubernetesFlags, kubernetesFromFlags } from '../../sync/config/kubernetes-config.ts';
import { ConfigError } from '../../common/config/config-error.ts';
import { validateConfig, type ContainerConfig } from './container-config.ts';

const usage = `usage: edge-dns [--config FILE] [--snapshot FILE]... | [--kubeconfig FILE | --in-cluster]
  [--dns HOST:PORT] [--doh HOST:PORT [--doh-cert FILE --doh-key FILE]] [--health HOST:PORT]
  [--zones a,b] [--ttl N] [--pods disabled|insecure|verified] [--namespaces a,b]
  [--endpoint-pod-names] [--ignore-empty-service] [--ns-addresses ip,ip]
  [--tcp-idle-timeout MS] [--tcp-max-connections N]
  [--forward ZONE=TO[,TO...]]... [--forward-policy random|round_robin|sequential]
  [--forward-max-concurrent N] [--forward-max-fails N] [--forward-health-check MS] [--forward-timeout MS]
  [--cache-success N] [--cache-denial N] [--cache-prefetch N] [--cache-serve-stale MS] [--cache-servfail MS]`;

/**
 * The configuration from `--config FILE` (YAML or JSON) with the flags laid over it; flags mirror
 * the file's keys. `readText` reads a file (the entry passes fs). Throws ConfigError.
 */
export function configFromArgs(
  argv: string[],
  readText: (path: string) => string,
): ContainerConfig {
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
        forward: { type: 'string', multiple: true },
        'forward-policy': { type: 'string' },
        'forward-max-concurrent': { type: 'string' },
        'forward-max-fails': { type: 'string' },
        'forward-health-check': { type: 'string' },
        'forward-timeout': { type: 'string' },
        'cache-success': { type: 'string' },
        'cache-denial': { type: 'string' },
        'cache-prefetch': { type: 'string' },
        'cache-serve-stale': { type: 'string' },
        'cache-servfail': { type: 'string' },
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
    file = readConfigFile(
      flags.config,
      readText,
      'dns, doh, health, snapshots, kubernetes, forward, cache',
    );
    // Validate the file alone first so its errors name the file, not the flags.
    validateConfig(file, flags.config);
  }
  const number = wholeNumber;
  const k8s = kubernetesFromFlags(file.kubernetes, flags);
  if (flags['ns-addresses'] !== undefined) k8s.nsAddresses = commaList(flags['ns-addresses']);
  const dns = { ...(file.dns ?? {}), tcp: { ...(file.dns?.tcp ?? {}) } };
  if (flags.dns !== undefined) dns.listen = flags.dns;
  if (flags['tcp-idle-timeout'] !== undefined)
    dns.tcp.idleTimeoutMs = number('tcp-idle-timeout', flags['tcp-idle-timeout']);
  if (flags['tcp-max-connections'] !== undefined)
    dns.tcp.maxConnections = number('tcp-max-connections', flags['tcp-max-connections']);
  const doh = { ...(file.doh ?? {}) };
  if (flags.doh !== undefined) doh.listen = flags.doh;
  if (flags['doh-cert'] !== undefined) doh.cert = flags['doh-cert'];
  if (flags['doh-key'] !== undefined) doh.key = flags['doh-key'];
  const health = { ...(file.health ?? {}) };
  if (flags.health !== undefined) health.listen = flags.health;
  const snapshots = [...(file.snapshots ?? []), ...(flags.snapshot ?? [])];
  return validateConfig(
    {
      ...file,
      dns,
      doh,
      health,
      kubernetes: k8s,
      snapshots,
      forward: forwardFromFlags(file.forward, flags),
      cache: cacheFromFlags(file.cache, flags),
    },
    source,
  );
}

type Flags = Record<string, string | boolean | string[] | undefined>;

/** `--forward ZONE=TO,TO` blocks are added to the file's; the other --forward-* flags set every block. */
function forwardFromFlags(fromFile: unknown, flags: Flags): unknown {
  const blocks: Record<string, unknown>[] = Array.isArray(fromFile)
    ? fromFile.map((b) => ({ ...b }))
    : [];
  for (const text of (flags.forward as string[] | undefined) ?? []) {
    const at = text.indexOf('=');
    if (at < 1)
      throw new ConfigError(
        `command line: --forward ${text}: expected ZONE=UPSTREAM[,UPSTREAM...], e.g. --forward .=127.0.0.1:53`,
      );
    blocks.push({ zone: text.slice(0, at), to: commaList(text.slice(at + 1)) });
  }
  const set: [string, string, (name: string, v: string) => unknown][] = [
    ['forward-policy', 'policy', (_n, v) => v],
    ['forward-max-concurrent', 'maxConcurrent', wholeNumber],
    ['forward-max-fails', 'maxFails', wholeNumber],
    ['forward-health-check', 'healthCheckMs', wholeNumber],
    ['forward-timeout', 'timeoutMs', wholeNumber],
  ];
  for (const [flag, key, parse] of set) {
    const value = flags[flag];
    if (typeof value === 'string') for (const b of blocks) b[key] = parse(flag, value);
  }
  return blocks;
}

function cacheFromFlags(fromFile: unknown, flags: Flags): unknown {
  const cache: Record<string, any> =
    typeof fromFile === 'object' && fromFile !== null ? { ...fromFile } : {};
  const value = (flag: string) =>
    typeof flags[flag] === 'string' ? wholeNumber(flag, flags[flag] as string) : undefined;
  const success = value('cache-success');
  const denial = value('cache-denial');
  const prefetch = value('cache-prefetch');
  const stale = value('cache-serve-stale');
  const servfail = value('cache-servfail');
  if (success !== undefined) cache.success = { ...cache.success, capacity: success };
  if (denial !== undefined) cache.denial = { ...cache.denial, capacity: denial };
  if (prefetch !== undefined) cache.prefetch = { ...cache.prefetch, amount: prefetch };
  if (stale !== undefined) cache.serveStaleMs = stale;
  if (servfail !== undefined) cache.servfailMs = servfail;
  return cache;
}
