// Our zones as a plugin of a server block's chain (docs/architecture.md §7): CoreDNS's
// `kubernetes` plugin answers the names of its zones and passes the others on; with
// `fallthrough [ZONES...]`, a name it does not have (NXDOMAIN) in those zones goes to the next
// plugin instead.
import { answerQuestion, type AnswerContext } from './answer.ts';
import type { Plugin } from './plugin.ts';
import { canonicalName } from './record.ts';
import { findZone, isInZone } from './zone.ts';

export interface ZonePluginOptions {
  /** The store, zones and (for CNAME targets leaving them) the forwarder answers come from. */
  ctx: () => AnswerContext;
  /** CoreDNS `fallthrough [ZONES...]`: undefined: never; []: every zone of the plugin. */
  fallthrough?: readonly string[];
}

export function zonePlugin(o: ZonePluginOptions): Plugin {
  return async (q, next) => {
    const ctx = o.ctx();
    const name = canonicalName(q.name);
    if (!findZone(ctx.zones, name)) return next(q);
    const sections = await answerQuestion(q.name, q.type, ctx, q.flags);
    return sections.rcode === 'NXDOMAIN' && fallsThrough(o.fallthrough, name) ? next(q) : sections;
  };
}

/** Whether `fallthrough [ZONES...]` covers `name` (CoreDNS plugin/pkg/fall). */
export function fallsThrough(zones: readonly string[] | undefined, name: string): boolean {
  if (zones === undefined) return false;
  return zones.length === 0 || zones.some((zone) => isInZone(name, zone));
}
