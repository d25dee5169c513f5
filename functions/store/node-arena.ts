import type { NameNode } from '../core/record.ts';
import { bytesHash, NameIndex } from './name-index.ts';
import { decodeNode, encodeNode } from './node-codec.ts';

/** An arena as plain data: buffers only, so a loader thread can transfer it without a copy. */
export interface PackedNodes {
  /** The entries, back to back. */
  bytes: Uint8Array;
  /** The name index's table (name-index.ts). */
  slots: Uint32Array;
  /** How many names the index holds. */
  size: number;
}

/** The top bit of an entry's body length: the entry was replaced or deleted. */
const DEAD = 0x80000000;

/**
 * NameNodes packed in one byte arena, each entry its owner name and its body (node-codec.ts):
 * name length u16 LE, the name in UTF-8, body length u32 LE, the body; indexed by name in a hash
 * table that is no JS object either (name-index.ts). A hundred thousand nodes as small JS objects
 * cost about 65 MB of heap that the garbage collector traces on every major collection; packed,
 * they are about 9 MB of arena and 2 MB of index outside the heap. Replaced and deleted nodes
 * leave dead bytes, dropped when the arena has to grow.
 */
export class NodeArena {
  #index = new NameIndex();
  #bytes: Buffer = Buffer.allocUnsafeSlow(0);
  #used = 0;
  #dead = 0;

  static from(nodes: Iterable<NameNode>): NodeArena {
    const arena = new NodeArena();
    for (const node of nodes) arena.set(node);
    return arena;
  }

  /** The arena of `nodes` as plain data: a loader thread packs, the server unpacks. */
  static pack(nodes: Iterable<NameNode>): PackedNodes {
    const arena = NodeArena.from(nodes);
    return {
      // A copy in a buffer of its own that fits: the transfer then moves no slack.
      bytes: new Uint8Array(arena.#bytes.subarray(0, arena.#used)),
      slots: arena.#index.slots,
      size: arena.size,
    };
  }

  static unpack(packed: PackedNodes): NodeArena {
    const arena = new NodeArena();
    const { buffer, byteOffset, byteLength } = packed.bytes;
    arena.#bytes = Buffer.from(buffer, byteOffset, byteLength);
    arena.#used = byteLength;
    arena.#index = new NameIndex(packed.slots, packed.size);
    return arena;
  }

  get size(): number {
    return this.#index.size;
  }

  /** The names in the order they were set; changes made while iterating may not show. */
  *names(): IterableIterator<string> {
    const bytes = this.#bytes;
    const used = this.#used;
    for (let at = 0; at < used;) {
      const nameEnd = at + 2 + bytes.readUInt16LE(at);
      const length = bytes.readUInt32LE(nameEnd);
      if (length < DEAD) yield bytes.toString('utf8', at + 2, nameEnd);
      at = nameEnd + 4 + (length & ~DEAD);
    }
  }

  get(name: string): NameNode | undefined {
    const bytes = this.#bytes;
    const at = this.#index.find(name, bytes);
    if (at < 0) return undefined;
    return decodeNode(name, bytes, at + 6 + (bytes[at]! | (bytes[at + 1]! << 8)));
  }

  set(node: NameNode): void {
    const body = encodeNode(node);
    const nameLength = Buffer.byteLength(node.name, 'utf8');
    if (nameLength > 0xffff) throw new RangeError(`a name of ${nameLength} bytes`);
    const need = 6 + nameLength + body.length;
    if (this.#used + need > this.#bytes.length) this.#grow(need);
    const bytes = this.#bytes;
    const at = this.#used;
    bytes.writeUInt16LE(nameLength, at);
    bytes.write(node.name, at + 2, nameLength, 'utf8');
    bytes.writeUInt32LE(body.length, at + 2 + nameLength);
    bytes.set(body, at + 6 + nameLength);
    this.#used += need;
    const was = this.#index.put(at, bytes);
    if (was >= 0) this.#kill(was);
  }

  delete(name: string): void {
    const at = this.#index.remove(name, this.#bytes);
    if (at >= 0) this.#kill(at);
  }

  #kill(at: number): void {
    const nameEnd = at + 2 + this.#bytes.readUInt16LE(at);
    const length = this.#bytes.readUInt32LE(nameEnd);
    this.#bytes.writeUInt32LE(length + DEAD, nameEnd);
    this.#dead += nameEnd + 4 + length - at;
  }

  /** Makes room: copies the live entries into an arena twice their size (and `need`). */
  #grow(need: number): void {
    const bytes = this.#bytes;
    const next = Buffer.allocUnsafeSlow(Math.max(1024, (this.#used - this.#dead + need) * 2));
    let used = 0;
    if (this.#dead === 0) used = bytes.copy(next, 0, 0, this.#used);
    else
      for (let at = 0; at < this.#used;) {
        const nameEnd = at + 2 + bytes.readUInt16LE(at);
        const length = bytes.readUInt32LE(nameEnd);
        const end = nameEnd + 4 + (length & ~DEAD);
        if (length < DEAD) {
          bytes.copy(next, used, at, end);
          if (used !== at) this.#index.move(bytesHash(bytes, at + 2, nameEnd), at, used);
          used += end - at;
        }
        at = end;
      }
    this.#bytes = next;
    this.#used = used;
    this.#dead = 0;
  }
}
