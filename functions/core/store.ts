import type { NameNode } from './record.ts';

/**
 * Read side of the record store (docs/architecture.md §5.2). Implementations:
 * memory (container, tests, `npm start`), DynamoDB (edge), a cached decorator.
 *
 * `lookup` returns the node stored at one canonical owner name, or undefined when the name does
 * not exist. It throws (or rejects) when the data cannot be trusted: not yet synced, unreachable.
 * The resolver turns that into SERVFAIL, never NXDOMAIN.
 */
export interface Store {
  lookup(name: string): NameNode | undefined | Promise<NameNode | undefined>;
  /** SOA serial of the data (RFC 1035 §3.3.13): changes whenever the data changes. */
  serial(): number;
  /** Changes whenever any answer may change; lets transports cache encoded answers. */
  readonly version: number;
}

/** Thrown by a store whose data cannot be trusted yet (or any more). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
