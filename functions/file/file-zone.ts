// The zones of one `file` directive, which the entry replaces whole when the file changes, as
// CoreDNS's file plugin swaps a zone on reload: a query reads one snapshot from start to end.
import { isInZone } from '../core/zone.ts';
import type { ZoneData } from './zone-data.ts';

/** Each configured zone (canonical) and its data; undefined: configured, not loaded yet. */
export type ZoneSnapshot = ReadonlyMap<string, ZoneData | undefined>;

export class FileZone {
  #zones: ZoneSnapshot;
  #version = 0;

  /** `names`: the zones served (canonical); `loaded`: the data of those already read. */
  constructor(names: readonly string[], loaded: readonly ZoneData[] = []) {
    this.#zones = new Map(names.map((name) => [name, undefined]));
    for (const zone of loaded) this.swap(zone);
  }

  /** What queries read now. */
  get zones(): ZoneSnapshot {
    return this.#zones;
  }

  /**
   * Moves on every swap: an answer cache keyed by the store's version must also key on this
   * (docs/architecture.md §6.9), or it would keep answers of the old zone.
   */
  get version(): number {
    return this.#version;
  }

  /** Replaces one zone's data at once; queries already answering keep the old snapshot. */
  swap(zone: ZoneData): void {
    if (!this.#zones.has(zone.origin))
      throw new Error(`zone ${zone.origin} is not one of ${[...this.#zones.keys()].join(' ')}`);
    this.#zones = new Map(this.#zones).set(zone.origin, zone);
    this.#version++;
  }
}

/** The longest configured zone holding `name` (canonical), or undefined. */
export function zoneOf(zones: ZoneSnapshot, name: string): string | undefined {
  let best: string | undefined;
  for (const zone of zones.keys())
    if (isInZone(name, zone) && (best === undefined || zone.length > best.length)) best = zone;
  return best;
}
