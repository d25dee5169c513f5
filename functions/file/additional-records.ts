// Additional-section processing (RFC 1034 §3.7, RFC 1035 §3.3.9, RFC 2782) as NSD does it
// (query.c add_additional_rrsets): the A and AAAA RRsets of NS, MX and SRV targets held in the
// zone, a wildcard standing in for a target that does not exist (RFC 4592 §4); MX and SRV
// targets below a delegation are glue, which only NS may carry.
import type { Answer } from 'dns-packet';
import { isInZone } from '../core/zone.ts';
import { ResponseBuilder, Section } from './response-builder.ts';
import { parentName, T, type ZoneData } from './zone-data.ts';

/** The name an NS, MX or SRV record points at; undefined for other types. */
function targetOf(rr: Answer): string | undefined {
  if (rr.type === 'NS') return rr.data;
  if (rr.type === 'MX') return rr.data.exchange;
  if (rr.type === 'SRV') return rr.data.target;
  return undefined;
}

/**
 * Adds `rrset` to `section` of `r` with its owner written as `owner` (`source` is where the zone
 * holds it: a wildcard, or `owner` itself), then the addresses of its targets.
 */
export function addRrset(
  r: ResponseBuilder,
  zone: ZoneData,
  section: Section,
  owner: string,
  source: string,
  rrset: Answer[],
): boolean {
  const type = rrset[0]?.type ?? '';
  const records = owner === source ? rrset : rrset.map((rr) => ({ ...rr, name: owner }));
  const added = r.add(section, `${owner}|${source}|${type}`, records);
  // NSD adds the addresses even when the RRset itself was there already.
  if (type === 'NS' || type === 'MX' || type === 'SRV') addTargets(r, zone, rrset, type === 'NS');
  return added;
}

function addTargets(r: ResponseBuilder, zone: ZoneData, rrset: Answer[], glue: boolean): void {
  for (const rr of rrset) {
    const target = targetOf(rr)?.toLowerCase();
    if (target === undefined || !isInZone(target, zone.origin)) continue;
    if (!glue && isGlue(zone, target)) continue;
    const source = zone.exists(target) ? target : wildcardFor(zone, target);
    if (source === undefined) continue;
    for (const [type, section] of [
      [T.A, Section.additionalA],
      [T.AAAA, Section.additionalAaaa],
    ] as const) {
      const set = zone.rrset(source, type);
      if (!set) continue;
      const records = source === target ? set : set.map((a) => ({ ...a, name: target }));
      r.add(section, `${target}|${source}|${records[0]!.type}`, records);
    }
  }
}

/** A name at or below a delegation (an NS RRset below the apex) is glue, not zone data. */
export function isGlue(zone: ZoneData, name: string): boolean {
  for (let n = name; n !== zone.origin && n !== ''; n = parentName(n))
    if (zone.rrset(n, T.NS)) return true;
  return false;
}

/** The wildcard at the closest encloser of a name that does not exist (RFC 4592 §3.3.1). */
function wildcardFor(zone: ZoneData, name: string): string | undefined {
  let encloser = parentName(name);
  while (!zone.exists(encloser)) encloser = parentName(encloser);
  const wildcard = `*.${encloser}`;
  return zone.exists(wildcard) ? wildcard : undefined;
}
