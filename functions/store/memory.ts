import type { NameNode } from '../core/record.ts';
import { StoreUnavailableError, type Store } from '../core/store.ts';
import { NodeArena, type PackedNodes } from './node-arena.ts';

/**
 * The in-memory store: the container, tests and `npm start`. Nodes are kept packed in one arena
 * (node-arena.ts) and decoded when looked up. Until the first full load it is not synced and
 * every lookup throws, so the resolver answers SERVFAIL rather than NXDOMAIN.
 */
export class MemoryStore implements Store {
  #arena = new NodeArena();
  #serial = 0;
  #synced = false;
  version = 0;

  lookup(name: string): NameNode | undefined {
    if (!this.#synced) throw new StoreUnavailableError('store not synced yet');
    return this.#arena.get(name);
  }

  serial(): number {
    return this.#serial;
  }

  get synced(): boolean {
    return this.#synced;
  }

  get size(): number {
    return this.#arena.size;
  }

  /** Replaces everything; `serial` is the SOA serial of the new data (e.g. unix seconds). */
  replaceAll(nodes: Iterable<NameNode>, serial: number): void {
    this.#arena = NodeArena.from(nodes);
    this.#commit(serial);
  }

  /** Replaces everything with nodes packed elsewhere (a loader thread: NodeArena.pack). */
  replaceAllPacked(packed: PackedNodes, serial: number): void {
    this.#arena = NodeArena.unpack(packed);
    this.#commit(serial);
  }

  /** Applies a planned change: put whole nodes, delete names. */
  apply(change: { put: Iterable<NameNode>; delete: Iterable<string> }, serial: number): void {
    for (const name of change.delete) this.#arena.delete(name);
    for (const node of change.put) this.#arena.set(node);
    this.#commit(serial);
  }

  names(): IterableIterator<string> {
    return this.#arena.names();
  }

  #commit(serial: number): void {
    // RFC 1982 serial arithmetic: the serial must move forward even when the clock does not.
    this.#serial = serial > this.#serial ? serial >>> 0 : (this.#serial + 1) >>> 0;
    this.#synced = true;
    this.version++;
  }
}
