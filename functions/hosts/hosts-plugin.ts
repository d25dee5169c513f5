// CoreDNS's `hosts` plugin at query time (plugin/hosts ServeDNS), over a HostsTable:
// - a name outside the plugin's zones goes to `next`, except a PTR question (reverse zones need not
//   be listed): a PTR is answered from the entries whatever its zone, and goes to `next` when no
//   entry has its address, whatever `fallthrough` says;
// - A and AAAA from the entries; any other type at a name that has an address is NODATA (NOERROR,
//   empty answer, no SOA: there is none), unless `fallthrough_unsupported` sends it on;
// - a name with no address goes to `next` where `fallthrough` covers it, else SERVFAIL (CoreDNS
//   has no SOA to give an NXDOMAIN);
// - answers are authoritative, owner names spelled as asked (docs/architecture.md §6.3).
import type { Answer } from 'dns-packet';
import type { Plugin } from '../core/plugin.ts';
import { canonicalName } from '../core/record.ts';
import { emptySections } from '../core/sections.ts';
import { isInZone } from '../core/zone.ts';
import { fallsThrough } from '../core/zone-plugin.ts';
import type { HostsRecords, HostsTable } from './hosts-table.ts';
import { addressFromReverse } from './reverse-address.ts';

export interface HostsPluginOptions {
  table: HostsTable;
  /** The plugin's zones (canonical, '' the root). */
  zones: readonly string[];
  /** `fallthrough [ZONES...]`: undefined: never; []: every zone. */
  fallthrough?: readonly string[];
  fallthroughUnsupported?: boolean;
}

export function hostsPlugin(o: HostsPluginOptions): Plugin {
  return async (q, next) => {
    const name = canonicalName(q.name);
    if (q.type !== 'PTR' && !o.zones.some((zone) => isInZone(name, zone))) return next(q);
    let found: HostsRecords | undefined;
    switch (q.type) {
      case 'PTR': {
        const address = addressFromReverse(name);
        found = address && o.table.names(address.text);
        if (!found) return next(q);
        break;
      }
      case 'A':
      case 'AAAA':
        found = o.table.addresses(name, q.type);
        break;
      default:
        if (o.fallthroughUnsupported && fallsThrough(o.fallthrough, name)) return next(q);
    }
    if (!found && !o.table.exists(name))
      return fallsThrough(o.fallthrough, name) ? next(q) : emptySections('SERVFAIL');
    const answers: Answer[] = (found?.data ?? []).map(
      (data) => ({ name: q.name, type: q.type, class: 'IN', ttl: found!.ttl, data }) as Answer,
    );
    return { ...emptySections('NOERROR', true), answers };
  };
}
