// CoreDNS's in-tree plugins by directive name, in the order of its plugin.cfg: the order a query
// passes through a server block's plugins, whatever order the Corefile writes them in. Directive
// names CoreDNS does not know are refused, as CoreDNS refuses them ("Unknown directive"); names it
// knows but edge-dns does not implement are refused by name.
import { CorefileError, type Directive } from './corefile.ts';

export const PLUGIN_ORDER: readonly string[] = [
  'root',
  'metadata',
  'geoip',
  'cancel',
  'proxyproto',
  'quic',
  'grpc_server',
  'https',
  'https3',
  'timeouts',
  'multisocket',
  'reload',
  'nsid',
  'bufsize',
  'bind',
  'debug',
  'trace',
  'ready',
  'health',
  'pprof',
  'shed',
  'prometheus',
  'errors',
  'log',
  'dnstap',
  'local',
  'dns64',
  'any',
  'chaos',
  'loadbalance',
  'tsig',
  'rewrite',
  'autopath',
  'acl',
  'cache',
  'header',
  'dnssec',
  'tls',
  'minimal',
  'template',
  'transfer',
  'hosts',
  'route53',
  'azure',
  'clouddns',
  'k8s_external',
  'kubernetes',
  'file',
  'auto',
  'secondary',
  'etcd',
  'loop',
  'forward',
  'grpc',
  'erratic',
  'whoami',
  'on',
  'sign',
  'view',
  'nomad',
];

const RANK = new Map(PLUGIN_ORDER.map((name, i) => [name, i]));

/** The plugins edge-dns implements: the default of parseCorefile's `supported`. */
export const SUPPORTED_PLUGINS: ReadonlySet<string> = new Set([
  'errors',
  'log',
  'health',
  'ready',
  'prometheus',
  'reload',
  'cache',
  'forward',
  'kubernetes',
  'k8s_external',
  'hosts',
  'file',
  'template',
  'rewrite',
  'loadbalance',
  'bind',
  'bufsize',
  'any',
  'loop',
  'autopath',
  'acl',
  'ratelimit',
  'debug',
  'tls',
]);

/** Refuses a directive no CoreDNS plugin has, or one `supported` leaves out. */
export function checkPluginName(
  d: Pick<Directive, 'name' | 'file' | 'line'>,
  supported: ReadonlySet<string> = SUPPORTED_PLUGINS,
): void {
  if (supported.has(d.name)) return;
  if (!RANK.has(d.name))
    throw new CorefileError(
      d.file,
      d.line,
      `unknown directive '${d.name}': no CoreDNS plugin has this name`,
    );
  throw new CorefileError(d.file, d.line, `plugin '${d.name}' is not supported by edge-dns yet`);
}

/** A server block's directives in the order CoreDNS runs them (stable: a plugin written twice
 *  keeps its written order; names outside plugin.cfg go last). */
export function inPluginOrder<D extends Pick<Directive, 'name'>>(directives: readonly D[]): D[] {
  const rank = (d: D) => RANK.get(d.name) ?? PLUGIN_ORDER.length;
  return [...directives].sort((a, b) => rank(a) - rank(b));
}
