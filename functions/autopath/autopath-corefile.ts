// CoreDNS's `autopath [ZONE...] RESOLV-CONF` directive (plugin/autopath setup): edge-dns takes
// RESOLV-CONF `@kubernetes` only, the kubernetes plugin's per-pod search path, which needs its
// `pods verified` (CoreDNS then serves without autopath; edge-dns says so at start).
import { directiveError, type Directive } from '../corefile/corefile.ts';

export interface AutopathConfig {
  /** ZONES written before `@kubernetes` (canonical); empty: the kubernetes zones. */
  zones: string[];
}

export function autopathFromDirective(d: Directive): AutopathConfig {
  if (d.block) throw directiveError(d, 'takes no block');
  const source = d.args.at(-1);
  if (source === undefined) throw directiveError(d, 'expected autopath [ZONE...] RESOLV-CONF');
  if (source !== '@kubernetes')
    throw directiveError(
      d,
      `${source}: only @kubernetes is supported (the kubernetes plugin's search path); a resolv.conf file is not`,
    );
  return { zones: d.args.slice(0, -1).map((z) => z.toLowerCase().replace(/\.$/, '')) };
}
