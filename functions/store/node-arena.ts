import type { NameNode } from '../core/record.ts';

/** An arena as plain data (structured-clonable; `bytes` and `offsets` transferable). */
export interface PackedNodes {
  bytes: Uint8Array;
  names: string[];
  offsets: Uint32Array;
}

/**
 * NameNodes packed in one byte arena, as UTF-8 JSON of their sets, indexed by owner name. A
 * hundred thousand nodes as small JS objects cost about 65 MB of heap that the garbage collector
 * traces on every major collection; packed, they are about 25 MB outside the heap plus a
 * name -> offset map. Replaced and deleted nodes leave dead bytes, reclaimed by compaction once
 * they are half the arena.
 */
export class NodeArena {
  #index = new Map<string, number>();
  #bytes: Buffer = Buffer.allocUnsafeSlow(0);
  #used = 0;
  #dead = 0;

  static from(nodes: Iterable<NameNode>): NodeArena {
    return NodeArena.unpack(NodeArena.pack(nodes));
  }

  /**
   * The arena of `nodes` as plain data: one ArrayBuffer and the names with their offsets. A loader
   * thread packs, the server unpacks; the buffers can be transferred without a copy.
   */
  static pack(nodes: Iterable<NameNode>): PackedNodes {
    const names: string[] = [];
    const bodies: string[] = [];
    let total = 0;
    for (const node of nodes) {
      const body = encode(node);
      names.push(node.name);
      bodies.push(body);
      total += 4 + Buffer.byteLength(body);
    }
    const bytes = new Uint8Array(total);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offsets = new Uint32Array(names.length);
    let used = 0;
    bodies.forEach((body, i) => {
      const length = view.write(body, used + 4, 'utf8');
      view.writeUInt32LE(length, used);
      offsets[i] = used;
      used += 4 + length;
    });
    return { bytes, names, offsets };
  }

  static unpack(packed: PackedNodes): NodeArena {
    const arena = new NodeArena();
    arena.#bytes = Buffer.from(
      packed.bytes.buffer,
      packed.bytes.byteOffset,
      packed.bytes.byteLength,
    );
    arena.#used = packed.bytes.byteLength;
    packed.names.forEach((name, i) => arena.#index.set(name, packed.offsets[i]!));
    return arena;
  }

  get size(): number {
    return this.#index.size;
  }

  names(): IterableIterator<string> {
    return this.#index.keys();
  }

  get(name: string): NameNode | undefined {
    const at = this.#index.get(name);
    if (at === undefined) return undefined;
    const length = this.#bytes.readUInt32LE(at);
    const body = JSON.parse(this.#bytes.toString('utf8', at + 4, at + 4 + length)) as Omit<
      NameNode,
      'name'
    >;
    return { name, ...body };
  }

  set(node: NameNode): void {
    this.delete(node.name);
    const body = encode(node);
    const need = 4 + Buffer.byteLength(body);
    if (this.#used + need > this.#bytes.length) this.#grow(need);
    this.#append(node.name, body);
  }

  delete(name: string): void {
    const at = this.#index.get(name);
    if (at === undefined) return;
    this.#dead += 4 + this.#bytes.readUInt32LE(at);
    this.#index.delete(name);
  }

  #append(name: string, body: string): void {
    const length = this.#bytes.write(body, this.#used + 4, 'utf8');
    this.#bytes.writeUInt32LE(length, this.#used);
    this.#index.set(name, this.#used);
    this.#used += 4 + length;
  }

  /** Makes room: compacts when half the arena is dead, else doubles it. */
  #grow(need: number): void {
    const live = this.#used - this.#dead;
    const next = Buffer.allocUnsafeSlow(Math.max(1024, (live + need) * 2));
    let used = 0;
    for (const [name, at] of this.#index) {
      const size = 4 + this.#bytes.readUInt32LE(at);
      this.#bytes.copy(next, used, at, at + size);
      this.#index.set(name, used);
      used += size;
    }
    this.#bytes = next;
    this.#used = used;
    this.#dead = 0;
  }
}

function encode(node: NameNode): string {
  return JSON.stringify(node.synth ? { sets: node.sets, synth: node.synth } : { sets: node.sets });
}
