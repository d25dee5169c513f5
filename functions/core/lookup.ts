import type { NameNode, RecordSet } from './record.ts';
import type { Store } from './store.ts';
import { parseDashedIp } from './dashed-ip.ts';
import { parseIp } from './ip.ts';
import type { Zone } from './zone.ts';
import { synthesizeZonal } from './zonal-name.ts';

/**
 * The node at one canonical name inside `zone`: what the store holds, plus what the zone
 * synthesizes: NS at the apex (the SOA is answered from the zone itself), glue at in-zone NS targets, dashed-IP children of a
 * node marked `synth: 'dashed-ip'` (CoreDNS `pods insecure`), and zonal names of a headless
 * Service's `synth: 'zonal'` carrier (zonal-name.ts). Throws when the store cannot be read.
 */
export async function lookupNode(
  store: Store,
  zone: Zone,
  name: string,
): Promise<NameNode | undefined> {
  const stored = await store.lookup(name);
  if (name === zone.name)
    return withSets(stored, name, [{ type: 'NS', ttl: zone.ttl, data: zone.ns }]);
  if (zone.nsAddresses.length > 0 && zone.ns.includes(name))
    return withSets(stored, name, glueSets(zone));
  // A zonal carrier is no owner name (§6.20): NXDOMAIN, as CoreDNS answers `_zone.<svc>...`.
  if (stored) return stored.synth === 'zonal' ? undefined : stored;
  return (await synthesizeZonal(store, zone.name, name)) ?? synthesizeDashedIp(store, zone, name);
}

function withSets(node: NameNode | undefined, name: string, sets: RecordSet[]): NameNode {
  return node ? { ...node, sets: [...sets, ...node.sets] } : { name, sets };
}

function glueSets(zone: Zone): RecordSet[] {
  const v4 = zone.nsAddresses.filter((a) => parseIp(a)?.family === 4);
  const v6 = zone.nsAddresses.filter((a) => parseIp(a)?.family === 6);
  const sets: RecordSet[] = [];
  if (v4.length) sets.push({ type: 'A', ttl: zone.ttl, data: v4 });
  if (v6.length) sets.push({ type: 'AAAA', ttl: zone.ttl, data: v6 });
  return sets;
}

async function synthesizeDashedIp(
  store: Store,
  zone: Zone,
  name: string,
): Promise<NameNode | undefined> {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const ip = parseDashedIp(name.slice(0, dot));
  const parentName = name.slice(dot + 1);
  if (!ip || parentName === zone.name || !parentName.endsWith(zone.name)) return undefined;
  const parent = await store.lookup(parentName);
  if (parent?.synth !== 'dashed-ip') return undefined;
  return { name, sets: [{ type: ip.type, ttl: zone.ttl, data: [ip.address] }] };
}
