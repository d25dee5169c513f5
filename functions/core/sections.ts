// A response before encoding: its rcode and sections, as the resolver, the forwarders and the
// answer cache pass it around.
import type { Answer } from 'dns-packet';

/** RFC 1035 §4.1.1; YXDOMAIN (RFC 6672 §2.2) for a DNAME substitution too long to be a name. */
export type Rcode =
  'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | 'YXDOMAIN';

/** Every Rcode at the index of its number (RFC 1035 §4.1.1, RFC 6895 §2.3). */
export const RCODES: readonly Rcode[] = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
];

/** The sections of a response, before encoding. */
export interface Sections {
  rcode: Rcode;
  aa: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** Holds an upstream's answer (TTLs that age): cached only as an aging entry (answer-cache.ts). */
  forwarded?: boolean;
  /** A stale answer (RFC 8767 §4, TTL 30, the upstream failed): never cached, so a recovery shows. */
  stale?: boolean;
  /** From the forwarder's cache (fresh, stale or a remembered failure), not from an upstream now:
   *  CoreDNS's `cache` wrote it (the `plugin` label of its metrics). */
  cached?: boolean;
  /**
   * From the forwarder: how long (ms from now) a copy of this answer may be served without asking
   * it again, TTLs aging (it may want to see queries again before the TTLs run out: prefetch).
   * Absent or 0: never.
   */
  cacheableMs?: number;
  /** Depends on more than the question and DO (a template reading the client's address): the
   *  answer cache never keeps it. */
  volatile?: boolean;
}

/** Sections with nothing in them but the rcode. */
export const emptySections = (rcode: Rcode, aa = false): Sections => ({
  rcode,
  aa,
  answers: [],
  authorities: [],
  additionals: [],
});
