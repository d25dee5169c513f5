// Forwarding, as the core sees it (docs/architecture.md §6.12: outside our zones, forward when
// configured, else REFUSED). Implementations live in functions/forward/.
import type { Sections } from './sections.ts';

/** The question to forward: a canonical name (lowercase, no trailing dot), type and class names. */
export interface ForwardQuestion {
  name: string;
  type: string;
  class: string;
}

/** Header bits of the client's query that change an upstream's answer (RFC 4035 §3.2). */
export interface ForwardFlags {
  /** Checking Disabled. */
  cd: boolean;
  /** DNSSEC OK (the EDNS DO bit). */
  do: boolean;
}

/**
 * The EDNS option our forwarded queries carry (RFC 6891 §9: 65001-65534 are for local and
 * experimental use), holding a random per-forwarder mark: a query that comes back with it is ours,
 * where ID and question alone would also match a client that happened to pick the same ID.
 */
export const LOOP_MARK_OPTION = 65001;

export interface Forwarder {
  /**
   * Whether names under `name` are forwarded (a `.` upstream takes every name; a stub zone such
   * as `example.com` only its own). The resolver asks before it answers REFUSED.
   */
  handles(name: string): boolean;
  /**
   * The upstream's answer as sections: rcode, answers (TTLs as they are now), authorities (the SOA
   * of a negative answer), additionals. `aa` false. Never rejects: an upstream that fails is
   * SERVFAIL (or a stale answer, RFC 8767), a full pool is REFUSED or SERVFAIL.
   */
  forward(question: ForwardQuestion, flags: ForwardFlags): Promise<Sections>;
  /**
   * Whether a query that reached us (its ID, question and LOOP_MARK option) is one this forwarder
   * sent and still waits for: a forwarding loop. The resolver answers it SERVFAIL instead of
   * forwarding it again. Asked only for queries that carry the option.
   */
  isLoop?(id: number, question: ForwardQuestion, mark: Uint8Array): boolean;
}
