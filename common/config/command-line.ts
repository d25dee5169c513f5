import { ConfigError, type ConfigIssue } from './config-error.ts';
import { readConfigFile, type ConfigFile } from './config-file.ts';
import { helpText } from './flag-help.ts';
import { layFlags, parseFlags, pathText, type FlagRow } from './flag-table.ts';
import { resolvePaths, visitPathKeys } from './path-keys.ts';
import { programVersion } from './version.ts';

// A command's configuration: `--config FILE` (YAML or JSON) with the flags of its table laid
// over it, checked by its schema; --help, --version and --validate (docs/architecture.md §8.11).
// A schema problem names the flag that set the key, else the file, line and column of the key.

export interface CommandSpec<C> {
  /** The command as typed: `edge-dns`. */
  command: string;
  /** What the command does, for --help. */
  summary: string;
  /** Its flags; the ones below are added. */
  rows: readonly FlagRow[];
  /** The file's top-level keys, named when the file is not a mapping. */
  fileKeys: string;
  /** Keys whose values are file paths (`snapshots[]`, `doh.cert`): read from a file, they are
   *  relative to that file's directory; from a flag, to the working directory. */
  pathKeys: readonly string[];
  /** The schema's check; throws ConfigError with `issues`. */
  validate(input: unknown, source: string): C;
  /** Settings under the file's (the environment's defaults); undefined values are skipped. */
  defaults?: Record<string, any>;
  /**
   * Other file formats that write the same configuration (a Corefile): the flag that names the
   * file and its reader. Their paths stay as written (relative to the working directory, as
   * CoreDNS reads them). At most one of them, or `--config`.
   */
  formats?: readonly {
    flag: string;
    read(path: string, readText: (p: string) => string): ConfigFile;
  }[];
}

export type Command<C> =
  { action: 'help' | 'version'; text: string } | { action: 'run' | 'validate'; config: C };

/** Flags every command has. */
export const commandRows: readonly FlagRow[] = [
  {
    flag: 'config',
    value: 'FILE',
    type: 'string',
    help: 'YAML or JSON file of settings; flags override its keys',
  },
  {
    flag: 'validate',
    type: 'boolean',
    help: 'check the configuration (file and flags), print ok or the errors, exit 0 or 2; binds nothing',
  },
  { flag: 'help', type: 'boolean', help: 'print this help and exit' },
  { flag: 'version', type: 'boolean', help: 'print the version and exit' },
];

/** What the command line asks for; throws ConfigError naming the flag, or the file and line. */
export function readCommand<C>(
  spec: CommandSpec<C>,
  argv: string[],
  readText: (path: string) => string,
): Command<C> {
  const rows = [...commandRows, ...spec.rows];
  // --help and --version answer even beside a flag that is wrong.
  if (argv.includes('--help') || argv.includes('-h'))
    return { action: 'help', text: helpText(spec.command, spec.summary, rows) };
  if (argv.includes('--version'))
    return { action: 'version', text: `${spec.command} ${programVersion()}` };
  const given = parseFlags(rows, argv, spec.command);
  const flags = given.values;
  const format = spec.formats?.find((f) => typeof flags[f.flag] === 'string');
  if (format && typeof flags.config === 'string')
    throw new ConfigError(`--config and --${format.flag}: give one configuration file`);
  const file =
    typeof flags.config === 'string'
      ? readConfigFile(flags.config, readText, spec.fileKeys)
      : format && format.read(flags[format.flag] as string, readText);
  const data = file && (format ? file.data : resolvePaths(file, spec.pathKeys));
  const config = mergeUnder(spec.defaults ?? {}, data ?? {});
  const origins = layFlags(rows, given, config);
  const source = file ? file.path : 'command line';
  let valid: C;
  try {
    valid = spec.validate(config, source);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
    throw placedError(error.issues, origins, file);
  }
  if (!flags.validate) return { action: 'run', config: valid };
  // --validate also reads the files the configuration names, as start-up would.
  const unreadable: ConfigIssue[] = [];
  visitPathKeys(valid as Record<string, any>, spec.pathKeys, (path, at) => {
    try {
      readText(path);
    } catch (error) {
      unreadable.push({ path: at, message: `cannot read ${path}: ${(error as Error).message}` });
    }
    return path;
  });
  if (unreadable.length > 0) throw placedError(unreadable, origins, file);
  return { action: 'validate', config: valid };
}

function placedError(
  issues: readonly ConfigIssue[],
  origins: Map<string, string>,
  file?: ConfigFile,
): ConfigError {
  return new ConfigError(issues.map((i) => placed(i, origins, file)).join('\n'), issues);
}

/** `--ttl 99999: kubernetes.ttl: ...` when a flag set the key (or what holds it), else
 *  `FILE:LINE:COL: key: ...` when the file holds it, else the file or `command line`. */
function placed(issue: ConfigIssue, origins: Map<string, string>, file?: ConfigFile): string {
  const key = pathText(issue.path) || '(top level)';
  const inFile = file?.locate(issue.path);
  for (let depth = issue.path.length; depth > 0; depth--) {
    // The file wins only where it holds a deeper part of the path than any flag set.
    if (inFile && inFile.depth > depth) break;
    const flag = origins.get(pathText(issue.path.slice(0, depth)));
    if (flag !== undefined) return `${flag}: ${key}: ${issue.message}`;
  }
  if (inFile) return `${inFile.at}: ${key}: ${issue.message}`;
  return `${file?.path ?? 'command line'}: ${key}: ${issue.message}`;
}

/** `over` laid on `under`, objects merged key by key; undefined values in `under` skipped. */
function mergeUnder(under: Record<string, any>, over: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...over };
  for (const [key, value] of Object.entries(under)) {
    if (value === undefined) continue;
    const mine = out[key];
    if (mine === undefined) out[key] = isPlain(value) ? mergeUnder(value, {}) : value;
    else if (isPlain(value) && isPlain(mine)) out[key] = mergeUnder(value, mine);
  }
  return out;
}

const isPlain = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
