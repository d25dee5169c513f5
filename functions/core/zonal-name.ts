// Zonal names (CoreDNS `kubernetes { zonal }`, docs/architecture.md §6.20):
// `<topozone>.pin._zone.<svc>.<ns>.svc.<zone>` and `<topozone>.prefer._zone...`. The builder stores
// the names of the zones a headless Service's endpoints carry; every other topology zone is
// answered here from the Service's carrier node `_zone.<svc>.<ns>.svc.<zone>` (synth 'zonal'),
// which holds the Service's whole answer: `pin` answers NODATA, `prefer` that whole answer.
import type { NameNode } from './record.ts';
import type { Store } from './store.ts';

export type ZonalDirective = 'pin' | 'prefer';

export interface ZonalName {
  directive: ZonalDirective;
  /** `_zone.<svc>.<ns>.svc.<zone>`: where the Service's carrier node is stored. */
  carrier: string;
}

const ZONE_LABEL = '_zone';

/**
 * `name` read as a zonal name of `zone` (CoreDNS parse.go parseRequest, case 5): at least one
 * topology label (the topology zone is every label left of the directive, dots and all), the
 * directive, `_zone`, then `<svc>.<ns>.svc` directly under the zone. Anything else: undefined.
 */
export function parseZonalName(name: string, zone: string): ZonalName | undefined {
  const suffix = zone === '' ? '' : `.${zone}`;
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, name.length - suffix.length).split('.');
  const n = labels.length;
  if (n < 6 || labels[n - 1] !== 'svc' || labels[n - 4] !== ZONE_LABEL) return undefined;
  const directive = labels[n - 5];
  if (directive !== 'pin' && directive !== 'prefer') return undefined;
  return { directive, carrier: labels.slice(n - 4).join('.') + suffix };
}

/**
 * The node of a zonal name the store does not hold: a topology zone none of the Service's
 * endpoints carries (drained, mistyped, or endpoints without a zone). `pin` is NODATA, `prefer`
 * every endpoint (the carrier's sets), as CoreDNS's findServices falls back. No carrier (no such
 * headless Service, or the option off): undefined, NXDOMAIN.
 */
export async function synthesizeZonal(
  store: Store,
  zone: string,
  name: string,
): Promise<NameNode | undefined> {
  const zonal = parseZonalName(name, zone);
  if (!zonal) return undefined;
  const carrier = await store.lookup(zonal.carrier);
  if (carrier?.synth !== 'zonal') return undefined;
  return { name, sets: zonal.directive === 'prefer' ? carrier.sets : [] };
}
