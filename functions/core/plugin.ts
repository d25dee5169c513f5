// Query-time plugins (docs/architecture.md §7): CoreDNS's plugin.Handler as a function of the
// question and the rest of the chain. A plugin answers, changes the question and asks `next`,
// or changes what `next` answered; the chain is assembled in the entries, in CoreDNS's order.
import type { ForwardFlags } from './forwarder.ts';
import type { Sections } from './sections.ts';

export interface PluginQuery {
  /** The name as asked (its case kept), no trailing dot; the root is ''. */
  name: string;
  /** Type and class names as dns-packet spells them ('A', 'IN'). */
  type: string;
  class: string;
  flags: ForwardFlags;
  /** What carried the query; sets its size limit. */
  transport: 'udp' | 'tcp' | 'https';
  /** The client's address and port, when the transport knows them. */
  remote?: { address: string; port: number };
  /** The zone of the server block that took the query (canonical; '' for the root). */
  zone: string;
}

/** The rest of the chain: never rejects for a DNS failure, which is an answer (SERVFAIL, ...). */
export type Next = (q: PluginQuery) => Promise<Sections>;

export type Plugin = (q: PluginQuery, next: Next) => Promise<Sections>;

/** `plugins` in the order given, then `last`. */
export function chainOf(plugins: readonly Plugin[], last: Next): Next {
  return plugins.reduceRight<Next>((next, plugin) => (q) => plugin(q, next), last);
}
