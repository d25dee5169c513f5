import { parse as parseYaml } from 'yaml';
import { ConfigError } from './fields.ts';

// A YAML or JSON config file read for `--config FILE`, and the flag value parsers both entries share.

/** The file's mapping; errors name the file. `keys` is shown when the file is not a mapping. */
export function readConfigFile(
  path: string,
  readText: (path: string) => string,
  keys: string,
): Record<string, any> {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    throw new ConfigError(`${path}: cannot read config file: ${(error as Error).message}`);
  }
  let file: unknown;
  try {
    file = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(
      `${path}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof file !== 'object' || Array.isArray(file) || file === null)
    throw new ConfigError(`${path}: expected a mapping of keys (${keys})`);
  return file as Record<string, any>;
}

/** A whole-number flag value, or undefined when the flag is absent. */
export function wholeNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v))
    throw new ConfigError(`command line: --${flag}: expected a whole number, got "${v}"`);
  return Number(v);
}

/** A comma-separated flag value. */
export function commaList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The CoreDNS `kubernetes` options and the live source, from flags over a file's `kubernetes` key. */
export function kubernetesFromFlags(
  base: Record<string, any> | undefined,
  flags: Record<string, string | boolean | string[] | undefined>,
): Record<string, any> {
  const k8s = { ...(base ?? {}) };
  const str = (k: string) => flags[k] as string | undefined;
  if (str('zones') !== undefined) k8s.zones = commaList(str('zones') as string);
  if (str('ttl') !== undefined) k8s.ttl = wholeNumber('ttl', str('ttl'));
  if (str('pods') !== undefined) k8s.pods = str('pods');
  if (str('namespaces') !== undefined) k8s.namespaces = commaList(str('namespaces') as string);
  if (flags['endpoint-pod-names']) k8s.endpointPodNames = true;
  if (flags['ignore-empty-service']) k8s.ignoreEmptyService = true;
  if (str('kubeconfig') !== undefined) k8s.kubeconfig = str('kubeconfig');
  if (flags['in-cluster']) k8s.inCluster = true;
  return k8s;
}

/** parseArgs options of the flags kubernetesFromFlags reads. */
export const kubernetesFlags = {
  kubeconfig: { type: 'string' },
  'in-cluster': { type: 'boolean' },
  zones: { type: 'string' },
  ttl: { type: 'string' },
  pods: { type: 'string' },
  namespaces: { type: 'string' },
  'endpoint-pod-names': { type: 'boolean' },
  'ignore-empty-service': { type: 'boolean' },
} as const;
