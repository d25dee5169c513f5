// CoreDNS's `autopath @kubernetes` (plugin/autopath, plugin/kubernetes autopath.go): server-side
// search path completion. A pod's resolver asks `name.<ns>.svc.<zone>` first (its first search
// domain); when that is NXDOMAIN and the client is a pod of namespace <ns>, the rest of the pod's
// search path is tried here, `name.svc.<zone>`, `name.<zone>`, then `name` itself, and the first
// answer that is not NXDOMAIN (nor a failure) is returned with a CNAME from the asked name to the
// found one (autopath cname.go). None found: the first answer, as asked.
import { isInZone } from '../core/zone.ts';
import type { Plugin, PluginQuery } from '../core/plugin.ts';
import type { Sections } from '../core/sections.ts';

export interface AutopathOptions {
  /** The kubernetes zones (canonical): autopath works on names in them. */
  zones: readonly string[];
  /** The namespace of the pod with this address (`pods verified`), or undefined. */
  namespaceOf: (address: string) => string | undefined;
}

/** Answers a client may not be handed as the search path's result (CoreDNS plugin.ClientWrite). */
const FAILED = new Set(['SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP']);

export function autopathPlugin(o: AutopathOptions): Plugin {
  return async (q, next) => {
    const name = q.name.toLowerCase();
    const zone = o.zones
      .filter((z) => isInZone(name, z))
      .reduce<string | undefined>(
        (best, z) => (best && best.length >= z.length ? best : z),
        undefined,
      );
    // `<base>.<ns>.svc.<zone>`: only such a name can be a first search domain's.
    const all = name.split('.');
    const labels =
      zone === undefined ? [] : all.slice(0, all.length - (zone ? zone.split('.').length : 0));
    if (zone === undefined || labels.length < 3 || labels.at(-1) !== 'svc') return next(q);
    const asked = await next(q);
    if (asked.rcode !== 'NXDOMAIN') return asked;
    // From here the answer depends on who asks: never kept by the answer cache.
    const ns = q.remote && o.namespaceOf(q.remote.address);
    if (ns === undefined || labels.at(-2) !== ns) return { ...asked, volatile: true };
    const base = q.name
      .split('.')
      .slice(0, labels.length - 2)
      .join('.');
    const under = (s: string) => [base, s, zone].filter(Boolean).join('.');
    for (const name of [under('svc'), under(''), base]) {
      const found = await next({ ...q, name });
      if (found.rcode === 'NXDOMAIN' || FAILED.has(found.rcode)) continue;
      return { ...cnamed(found, q), volatile: true };
    }
    return { ...asked, volatile: true };
  };
}

/** CoreDNS's cnamer: a CNAME from the asked name to the first answer's owner, when they differ. */
function cnamed(found: Sections, q: PluginQuery): Sections {
  const first = found.answers.find((rr) => rr.name.toLowerCase() !== q.name.toLowerCase());
  if (!first) return found;
  const cname = {
    name: q.name,
    type: 'CNAME',
    class: 'IN',
    ttl: 'ttl' in first ? (first.ttl ?? 0) : 0,
    data: first.name,
  } as const;
  return { ...found, answers: [cname, ...found.answers] };
}
