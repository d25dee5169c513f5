// A Corefile's block plugins checked without reading their files or opening sockets (what
// `--validate` and a reload check before anything starts; docs/architecture.md §9), and the
// schema check that names a directive's file and line.
import { ConfigError } from '../../common/config/config-error.ts';
import { validateWith } from '../../common/config/fields.ts';
import { aclFromDirective } from '../acl/acl-corefile.ts';
import { anyFromDirective } from '../any/any-corefile.ts';
import { autopathFromDirective } from '../autopath/autopath-corefile.ts';
import { bufsizeOfBlocks } from '../bufsize/bufsize-corefile.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { inPluginOrder } from '../corefile/plugin-order.ts';
import { fileFromDirective } from '../file/file-config.ts';
import { cacheFromDirective, forwardFromDirective } from '../forward/forward-corefile.ts';
import { cacheSchema, forwardSchema } from '../forward/forward-config.ts';
import { hostsFromDirective } from '../hosts/hosts-corefile.ts';
import { loadbalanceFromDirective } from '../loadbalance/loadbalance-corefile.ts';
import { checkLoopDirective } from '../loop/loop-corefile.ts';
import { rewriteFromDirectives } from '../rewrite/rewrite-corefile.ts';
import { templateFromDirective } from '../template/template-corefile.ts';
import type { ServerConfig } from './container-blocks.ts';

/**
 * Every block plugin's options checked without reading its files or opening sockets: what
 * `--validate` and a reload check before anything starts. Throws a CorefileError naming the line.
 */
export function checkBlocks(servers: readonly ServerConfig[]): void {
  bufsizeOfBlocks(servers.flatMap((s) => s.plugins.filter((d) => d.name === 'bufsize')));
  for (const server of servers) {
    const ordered = inPluginOrder(server.plugins);
    for (const name of ONCE) {
      const ds = ordered.filter((d) => d.name === name);
      if (ds.length > 1) throw directiveError(ds[1]!, `a second ${name} in this server block`);
    }
    for (const d of ordered) {
      if (d.name === 'forward')
        checkedAt(d, (at) => validateWith(forwardSchema, forwardFromDirective(d), at));
      else if (d.name === 'cache')
        checkedAt(d, (at) => validateWith(cacheSchema, cacheFromDirective(d), at));
      else if (d.name === 'file') fileFromDirective(d);
      else if (d.name === 'hosts') hostsFromDirective(d, server.zones);
      else if (d.name === 'template') templateFromDirective(d, server.zones);
      else if (d.name === 'rewrite') rewriteFromDirectives([d]);
      else if (d.name === 'loadbalance') loadbalanceFromDirective(d);
      else if (d.name === 'any') anyFromDirective(d);
      else if (d.name === 'loop') checkLoopDirective(d);
      else if (d.name === 'autopath') checkAutopath(d, servers);
      else if (d.name === 'acl') aclFromDirective(d, server.zones);
    }
  }
}

/** Plugins CoreDNS allows once per server block. */
export const ONCE = [
  'kubernetes',
  'hosts',
  'loadbalance',
  'cache',
  'any',
  'bufsize',
  'loop',
  'autopath',
];

/** `autopath @kubernetes` reads the pod index of `pods verified` (CoreDNS: without it, no autopath). */
function checkAutopath(d: Directive, servers: readonly ServerConfig[]): void {
  autopathFromDirective(d);
  const k8s = servers.flatMap((s) => s.plugins).find((p) => p.name === 'kubernetes');
  const pods = k8s?.block?.find((o) => o.name === 'pods')?.args[0];
  if (pods !== 'verified')
    throw directiveError(d, "@kubernetes needs a kubernetes plugin with 'pods verified'");
}

/** A plugin's schema check whose problem is a CorefileError at its directive (file and line),
 *  not a key path of the configuration no Corefile line holds. */
export function checkedAt<T>(d: Directive, check: (source: string) => T): T {
  try {
    return check(d.name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const prefix = `${d.name}: `;
    const lines = error.message
      .split('\n')
      .map((l) => (l.startsWith(prefix) ? l.slice(prefix.length) : l));
    throw directiveError(d, lines.join('; '));
  }
}
