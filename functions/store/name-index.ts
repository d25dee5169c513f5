// Owner name -> arena offset, off the JS heap: an open-addressing hash table (linear probing) in
// one Uint32Array of [hash, offset + 1] pairs (0: an empty slot). The names themselves stay in the
// arena (node-arena.ts), each entry opening with its UTF-8 bytes after a u16 LE length; a hit on
// the hash is confirmed by comparing those bytes. A hundred thousand names cost 2 MB here instead
// of ~10 MB of strings and Map entries on the heap.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIN_SLOTS = 1024;

/**
 * FNV-1a over `bytes[start, end)`: the hash of the name those UTF-8 bytes spell. Lookups hash a
 * name from its char codes while it is ASCII, which gives the same.
 */
export function bytesHash(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h >>> 0;
}

export class NameIndex {
  #slots: Uint32Array;
  #mask: number;
  #size: number;
  /** The hash #slotOfBytes computed last, for put to insert with. */
  #hash = 0;

  /** `slots` and `size` as `slots` and `size` gave them (a packed index), or empty. */
  constructor(slots: Uint32Array = new Uint32Array(2 * MIN_SLOTS), size = 0) {
    this.#slots = slots;
    this.#mask = slots.length / 2 - 1;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  get slots(): Uint32Array {
    return this.#slots;
  }

  /** The offset of the entry named `name` in `arena`, or -1. */
  find(name: string, arena: Uint8Array): number {
    const slot = this.#slotOf(name, arena);
    return slot < 0 ? -1 : this.#slots[2 * slot + 1]! - 1;
  }

  /**
   * Points the name of the entry at `at` (already in `arena`) at it; returns the offset the name
   * pointed at before, or -1. The name is read as bytes: no string is hashed or compared.
   */
  put(at: number, arena: Uint8Array): number {
    const name = arena.subarray(at + 2, at + 2 + (arena[at]! | (arena[at + 1]! << 8)));
    const slot = this.#slotOfBytes(name, arena);
    if (slot >= 0) {
      const was = this.#slots[2 * slot + 1]! - 1;
      this.#slots[2 * slot + 1] = at + 1;
      return was;
    }
    if (2 * (this.#size + 1) > this.#mask + 1) this.#resize(2 * (this.#mask + 1));
    this.#insert(this.#hash, at);
    this.#size++;
    return -1;
  }

  /** Forgets `name`; returns the offset it pointed at, or -1. */
  remove(name: string, arena: Uint8Array): number {
    const slot = this.#slotOf(name, arena);
    if (slot < 0) return -1;
    const was = this.#slots[2 * slot + 1]! - 1;
    this.#clear(slot);
    this.#size--;
    return was;
  }

  /** The entry of hash `hash` at `from` moved to `to` (arena compaction). */
  move(hash: number, from: number, to: number): void {
    const slots = this.#slots;
    for (let s = hash & this.#mask; ; s = (s + 1) & this.#mask)
      if (slots[2 * s + 1] === from + 1 && slots[2 * s] === hash) {
        slots[2 * s + 1] = to + 1;
        return;
      }
  }

  #slotOf(name: string, arena: Uint8Array): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c > 0x7f) return this.#slotOfBytes(Buffer.from(name, 'utf8'), arena);
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    h >>>= 0;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = slots[2 * s + 1]!;
      if (at === 0) return -1;
      if (slots[2 * s] === h && asciiNameAt(name, arena, at - 1)) return s;
    }
  }

  #slotOfBytes(name: Uint8Array, arena: Uint8Array): number {
    const h = bytesHash(name, 0, name.length);
    this.#hash = h;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = slots[2 * s + 1]!;
      if (at === 0) return -1;
      if (slots[2 * s] === h && bytesNameAt(name, arena, at - 1)) return s;
    }
  }

  #insert(hash: number, at: number): void {
    const slots = this.#slots;
    let s = hash & this.#mask;
    while (slots[2 * s + 1] !== 0) s = (s + 1) & this.#mask;
    slots[2 * s] = hash;
    slots[2 * s + 1] = at + 1;
  }

  /** Empties `slot`, shifting back the entries after it that probed past it (no tombstones). */
  #clear(slot: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = slot;
    for (let s = (slot + 1) & mask; slots[2 * s + 1] !== 0; s = (s + 1) & mask) {
      const home = slots[2 * s]! & mask;
      // The entry at s may fill the hole when the hole lies on its probe path: home .. s.
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        slots[2 * hole] = slots[2 * s]!;
        slots[2 * hole + 1] = slots[2 * s + 1]!;
        hole = s;
      }
    }
    slots[2 * hole] = 0;
    slots[2 * hole + 1] = 0;
  }

  #resize(count: number): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(2 * count);
    this.#mask = count - 1;
    for (let s = 0; s < old.length; s += 2)
      if (old[s + 1] !== 0) this.#insert(old[s]!, old[s + 1]! - 1);
  }
}

function asciiNameAt(name: string, arena: Uint8Array, at: number): boolean {
  if ((arena[at]! | (arena[at + 1]! << 8)) !== name.length) return false;
  for (let i = 0, p = at + 2; i < name.length; i++, p++)
    if (arena[p] !== name.charCodeAt(i)) return false;
  return true;
}

function bytesNameAt(name: Uint8Array, arena: Uint8Array, at: number): boolean {
  if ((arena[at]! | (arena[at + 1]! << 8)) !== name.length) return false;
  for (let i = 0, p = at + 2; i < name.length; i++, p++) if (arena[p] !== name[i]) return false;
  return true;
}
