// Hosts entries to NameNodes, as CoreDNS's `hosts` plugin indexes them: A or AAAA at each name
// inside the plugin's zones, in file order, and (unless `no_reverse`) a PTR at the address's
// reverse name naming it. A `*.` name is a wildcard for one label below it and gets no PTR.
import type { NameNode } from '../../functions/core/record.ts';
import { reverseName } from '../records/ip.ts';
import { parseHostsLines, type HostsEntry } from './hosts-lines.ts';

export interface HostsBuildOptions {
  /** The plugin's zones, canonical ('' is the root): names outside them are left out. */
  zones: readonly string[];
  /** TTL of every record made (CoreDNS `ttl`, default 3600). */
  ttl: number;
  /** PTR records at the reverse names (false: CoreDNS `no_reverse`). */
  reverse: boolean;
}

const inZone = (name: string, zone: string) =>
  zone === '' || name === zone || name.endsWith(`.${zone}`);

/** Whether `name` is a wildcard owner (`*.example.com`), as CoreDNS's hosts plugin reads one. */
export const isWildcardHost = (name: string) => name.startsWith('*.');

/**
 * NameNodes for `entries`, in the order names first appear. An address written twice for a name
 * is kept once (RFC 2181 §5: an RRset holds no duplicates; CoreDNS would repeat it).
 */
export function hostsNodes(entries: readonly HostsEntry[], o: HostsBuildOptions): NameNode[] {
  const nodes = new Map<string, Map<'A' | 'AAAA' | 'PTR', string[]>>();
  const add = (name: string, type: 'A' | 'AAAA' | 'PTR', data: string) => {
    let sets = nodes.get(name);
    if (!sets) nodes.set(name, (sets = new Map()));
    const set = sets.get(type) ?? [];
    if (!set.includes(data)) sets.set(type, [...set, data]);
  };
  for (const { address, names } of entries) {
    for (const name of names) {
      if (!o.zones.some((zone) => inZone(name, zone))) continue;
      add(name, address.family === 4 ? 'A' : 'AAAA', address.text);
      if (o.reverse && !isWildcardHost(name)) add(reverseName(address), 'PTR', name);
    }
  }
  return [...nodes].map(([name, sets]) => ({
    name,
    sets: [...sets].map(([type, data]) => ({ type, ttl: o.ttl, data })),
  }));
}

/** The NameNodes of a hosts file's text (or of inline entries joined by newlines). */
export function hostsNodesFromText(text: string, o: HostsBuildOptions): NameNode[] {
  return hostsNodes(parseHostsLines(text).entries, o);
}
