// CoreDNS's `file` plugin as a plugin of a server block's chain (docs/architecture.md §7): it
// answers every name in its zones authoritatively from zone files, and passes the others to the
// next plugin. It has no `fallthrough`: a name it does not hold is NXDOMAIN.
import type { Plugin } from '../core/plugin.ts';
import { canonicalName } from '../core/record.ts';
import { emptySections } from '../core/sections.ts';
import { authoritativeAnswer } from './authoritative-answer.ts';
import { zoneOf, type FileZone } from './file-zone.ts';

export function filePlugin(zones: FileZone): Plugin {
  return async (q, next) => {
    const snapshot = zones.zones;
    const origin = zoneOf(snapshot, canonicalName(q.name));
    if (origin === undefined) return next(q);
    // A zone whose file was never read: SERVFAIL, as CoreDNS and NSD answer it.
    if (!snapshot.get(origin)) return emptySections('SERVFAIL');
    return authoritativeAnswer(q.name, q.type, q.class, (name) => {
      const zone = zoneOf(snapshot, name);
      return zone === undefined ? undefined : snapshot.get(zone);
    });
  };
}
