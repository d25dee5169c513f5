import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.ts';

// A YAML or JSON config file read for `--config FILE`, and the flag value parsers the container's
// and the sync's flags share.

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
