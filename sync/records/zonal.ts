// Zonal names of a headless Service (CoreDNS `kubernetes { zonal }`, docs/architecture.md §6.20):
// `<z>.pin._zone.<svc>.<ns>.svc.<zone>` and `<z>.prefer._zone...` for every topology zone `z` its
// endpoints carry (the EndpointSlice endpoint's `zone`, never its hints), each with that zone's
// A/AAAA and SRV; and the carrier `_zone.<svc>...` (synth 'zonal') with every endpoint, from which
// the resolver answers the zones no endpoint carries (functions/core/zonal-name.ts).
import type { ReadyAddress } from './endpoints.ts';
import { isEncodableName, join } from './names.ts';
import type { RecordSets } from './record-sets.ts';
import { srvRecords } from './srv.ts';

const ZONE_LABEL = '_zone';
const DIRECTIVES = ['pin', 'prefer'] as const;

/** Adds the zonal names of the headless Service at `base` with ready `addresses`. */
export function addZonalNames(
  out: RecordSets,
  ttl: number,
  base: string,
  addresses: readonly ReadyAddress[],
): void {
  // Every headless Service gets a carrier, endpoints or not: CoreDNS answers its zonal names
  // NODATA when it has none (findServices sets err = nil for any zone label).
  const carrier = join(ZONE_LABEL, base);
  out.synth(carrier, 'zonal');
  addEndpoints(out, ttl, carrier, base, addresses);
  for (const [zone, list] of byZone(addresses)) {
    for (const directive of DIRECTIVES) {
      const name = join(zone, directive, carrier);
      // A zone value with an empty label, or one too long for the name, cannot be asked.
      if (isEncodableName(name)) addEndpoints(out, ttl, name, base, list);
    }
  }
}

/** Addresses grouped by their zone; addresses without one match no zone (CoreDNS README). */
function byZone(addresses: readonly ReadyAddress[]): Map<string, ReadyAddress[]> {
  const out = new Map<string, ReadyAddress[]>();
  for (const a of addresses) {
    if (!a.zone) continue;
    const list = out.get(a.zone);
    if (list) list.push(a);
    else out.set(a.zone, [a]);
  }
  return out;
}

/** What CoreDNS's findServices answers for these endpoints: their addresses, and SRV per port
 *  with the endpoint names as targets (filtering happens at endpoint selection). */
function addEndpoints(
  out: RecordSets,
  ttl: number,
  name: string,
  base: string,
  list: readonly ReadyAddress[],
): void {
  out.touch(name);
  for (const a of list) out.add(name, a.ip.family === 4 ? 'A' : 'AAAA', ttl, a.ip.text);
  const entries = list.flatMap((a) =>
    a.ports.map((p) => ({ port: p.port, target: join(a.hostname, base) })),
  );
  for (const srv of srvRecords(entries)) out.add(name, 'SRV', ttl, srv);
}
