// A Corefile as the container's configuration (docs/architecture.md §8.2): the process plugins
// (`health`, `ready`, `prometheus`, `reload`, `log`, `errors`, `bind`) and the `kubernetes` source
// become the keys a YAML file would set; each server block keeps its query-time plugins under
// `servers`, built into a chain per block (container-blocks.ts). The result goes through the same
// schema as a YAML file, so one set of rules checks all three ways of writing a configuration.
import type { ConfigFile } from '../../common/config/config-file.ts';
import { directiveError, type Corefile, type Directive } from '../corefile/corefile.ts';
import { nodeCorefileIo } from '../corefile/node-io.ts';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { errorsFromDirective, logFromDirective } from '../log/log-corefile.ts';
import { CorefileClusters } from './container-cluster-corefile.ts';
import { defaultPort, dotCertificateFromDirective } from './corefile-tls.ts';
import { externalFromDirective } from './corefile-k8s-external.ts';
import { reloadFromArgs } from './container-process-config.ts';
import { rateLimitFromDirective } from '../ratelimit/ratelimit-corefile.ts';
import { lameduck, listenFromBlocks, pluginAddress } from './corefile-listen.ts';

/** Query-time plugins a block keeps, in the order written (the chain orders them). */
export const BLOCK_PLUGINS = [
  'kubernetes',
  'k8s_external',
  'forward',
  'cache',
  'hosts',
  'file',
  'template',
  'rewrite',
  'loadbalance',
  'any',
  'bufsize',
  'loop',
  'autopath',
  'acl',
];
/** Process plugins: one setting for the whole process, however many blocks repeat it. */
const PROCESS_PLUGINS = [
  'health',
  'ready',
  'prometheus',
  'reload',
  'log',
  'errors',
  'bind',
  'ratelimit',
  'tls',
];
/** Every plugin a Corefile may name here (the parser refuses the others by name). */
const SUPPORTED = new Set([...BLOCK_PLUGINS, ...PROCESS_PLUGINS]);

/**
 * `--corefile FILE` as a configuration file (common/config/command-line.ts `formats`): `readText`
 * reads the Corefile itself (a reload passes the text it hashed), imports come from the disk.
 * `{$NAME}` reads the process environment, as CoreDNS does.
 */
export function corefileConfigFile(
  path: string,
  readText: (path: string) => string,
  env: Record<string, string | undefined> = process.env,
): ConfigFile & { files: string[] } {
  const corefile = parseCorefile(readText(path), path, {
    ...nodeCorefileIo,
    read: (p) => (p === path ? readText(p) : nodeCorefileIo.read(p)),
    env,
    supported: SUPPORTED,
  });
  const { data, origins } = configFromCorefile(corefile);
  return {
    path,
    data,
    files: corefile.files,
    // A schema problem under a key names the directive that wrote it.
    locate: (keyPath) => {
      const d = origins.get(keyPath.slice(0, 2).join('.')) ?? origins.get(String(keyPath[0]));
      return d && { at: `${d.file}:${d.line}`, depth: keyPath.length };
    },
  };
}

/**
 * The Corefile and every file it imports, as one text: what a reload compares (CoreDNS's
 * `reload` hashes the Corefile; here a changed import counts too). A Corefile that does not parse
 * is its own text alone, so that fixing it is a change.
 */
export function corefileTexts(path: string, readText: (path: string) => string): string {
  try {
    const files = corefileConfigFile(path, readText).files;
    return files.map((f) => `${f}\0${readText(f)}`).join('\0');
  } catch {
    return readText(path);
  }
}

/** The configuration input (as a parsed YAML file would give it) a Corefile writes, and the
 *  directive behind each top-level key (`servers.N` for a block). */
export function configFromCorefile(corefile: Corefile): {
  data: Record<string, unknown>;
  origins: Map<string, Pick<Directive, 'file' | 'line'>>;
} {
  const out: Record<string, unknown> = {};
  const origins = new Map<string, Pick<Directive, 'file' | 'line'>>();
  const seen = new Map<string, { d: Directive; value: unknown }>();
  /** A process plugin: the blocks that name it must agree (CoreDNS would run one per block). */
  const once = (d: Directive, key: string, value: unknown) => {
    const before = seen.get(d.name);
    if (before && JSON.stringify(before.value) !== JSON.stringify(value))
      throw directiveError(
        d,
        `differs from the one at ${before.d.file}:${before.d.line}: edge-dns runs one ${d.name} for every block`,
      );
    seen.set(d.name, { d, value });
    out[key] = value;
    origins.set(key, d);
  };
  const ports = new Set<number>();
  /** tls:// blocks: DoT's port (corefile-tls.ts). */
  const tlsPorts = new Set<number>();
  const servers: Record<string, unknown>[] = [];
  let kubernetes: Directive | undefined;
  const clusters = new CorefileClusters();
  let external: { d: Directive; value: ReturnType<typeof externalFromDirective> } | undefined;
  for (const block of corefile.servers) {
    for (const key of block.keys) {
      if (key.scheme !== 'dns' && key.scheme !== 'tls')
        throw directiveError(
          { ...block, name: `${key.scheme}://` },
          'only dns:// and tls:// server blocks are supported (DoH: the doh key or --doh)',
        );
      (key.scheme === 'tls' ? tlsPorts : ports).add(key.port ?? defaultPort(key.scheme));
      if (key.scheme === 'tls' && !origins.has('dot')) origins.set('dot', block);
    }
    const plugins: Directive[] = [];
    for (const d of block.directives) {
      switch (d.name) {
        case 'health':
          once(d, 'health', { listen: pluginAddress(d, 8080), ...lameduck(d) });
          break;
        case 'ready':
          once(d, 'ready', { listen: pluginAddress(d, 8181) });
          break;
        case 'prometheus':
          once(d, 'metrics', { listen: pluginAddress(d, 9153, '127.0.0.1') }); // CoreDNS: localhost:9153
          break;
        case 'reload':
          if (d.args.length > 2) throw directiveError(d, 'expected reload [INTERVAL [JITTER]]');
          once(d, 'reload', reloadAt(d));
          break;
        case 'log':
          once(d, 'log', logFromDirective(d));
          break;
        case 'errors':
          once(d, 'errors', errorsFromDirective(d));
          break;
        case 'bind':
          if (d.args.length === 0 || d.args.includes('except'))
            throw directiveError(
              d,
              'expected ADDRESS... (interface names and except are not supported)',
            );
          once(d, 'bind', d.args);
          break;
        case 'ratelimit':
          once(d, 'ratelimit', rateLimitFromDirective(d));
          break;
        case 'tls': {
          const inTls = block.keys.some((k) => k.scheme === 'tls');
          once(d, 'dot', dotCertificateFromDirective(d, inTls));
          break;
        }
        case 'kubernetes': {
          // A further kubernetes is one more cluster (container-cluster-corefile.ts).
          const keys = clusters.add(
            d,
            block.keys.map((k) => k.zone),
            plugins,
          );
          if (keys) Object.assign(out, keys);
          if (keys) origins.set('kubernetes', d).set('snapshots', d);
          kubernetes ??= d;
          plugins.push(d);
          break;
        }
        case 'k8s_external':
          // One k8s_external for the process: its zones are built with the records.
          if (external)
            throw directiveError(
              d,
              `a second k8s_external (the first is at ${external.d.file}:${external.d.line})`,
            );
          external = {
            d,
            value: externalFromDirective(
              d,
              block.keys.map((k) => k.zone),
            ),
          };
          plugins.push(d);
          break;
        default:
          plugins.push(d);
      }
    }
    origins.set(`servers.${servers.length}`, block);
    servers.push({ zones: block.keys.map((k) => k.zone), plugins });
  }
  const more = clusters.clusters();
  if (more.value.length > 0) out.clusters = more.value;
  more.directives.forEach((d, i) => origins.set(`clusters.${i}`, d));
  if (external) {
    if (!kubernetes) throw directiveError(external.d, 'needs a kubernetes plugin (its records)');
    out.kubernetes = { ...(out.kubernetes as object), external: external.value };
    origins.set('kubernetes.external', external.d);
  }
  // Without `reload` the Corefile is not compared on a timer; SIGHUP and SIGUSR1 still reload it.
  if (!seen.has('reload')) out.reload = { interval: 0 };
  const listen = listenFromBlocks(corefile, ports, tlsPorts, out.bind as string[] | undefined);
  delete out.bind;
  out.dns = listen.dns;
  if (listen.dotListen) out.dot = { ...(out.dot as object), listen: listen.dotListen };
  out.servers = servers;
  return { data: out, origins };
}

/** `reload` as its key; a problem names the directive's line. */
function reloadAt(d: Directive) {
  try {
    return reloadFromArgs(d.args);
  } catch (error) {
    throw directiveError(d, (error as Error).message);
  }
}
