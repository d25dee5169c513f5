// Server blocks (docs/architecture.md §7): a query goes to the block with the longest zone that
// holds its name, and through that block's plugin chain, as CoreDNS picks a server block per
// query on a port.
import type { Next } from './plugin.ts';
import { isInZone } from './zone.ts';

export interface ServerBlockChain {
  /** The block's zones, canonical ('' for the root). */
  zones: readonly string[];
  /** Its plugins, assembled (`chainOf`), ending where CoreDNS's chain ends. */
  next: Next;
}

/** The block and zone for `name` (canonical), or undefined: no block serves it (REFUSED). */
export function blockFor(
  blocks: readonly ServerBlockChain[],
  name: string,
): { zone: string; next: Next } | undefined {
  let best: { zone: string; next: Next } | undefined;
  for (const block of blocks) {
    for (const zone of block.zones) {
      if (isInZone(name, zone) && (!best || zone.length > best.zone.length))
        best = { zone, next: block.next };
    }
  }
  return best;
}
