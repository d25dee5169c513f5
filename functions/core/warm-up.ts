import * as dnsPacket from 'dns-packet';
import { EDNS_UDP_SIZE } from './edns.ts';

const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'TXT'] as const;

/**
 * Queries that exercise every answer path (hits, NODATA, NXDOMAIN below real names, with and
 * without EDNS) for up to `limit` of `names`. A server sends them to itself before it reports
 * ready, so the first real queries do not pay for the JIT compiler: cold, the first seconds of a
 * 20k q/s load queue for hundreds of milliseconds.
 */
export function warmUpQueries(names: Iterable<string>, limit = 2000): Buffer[] {
  const queries: Buffer[] = [];
  let i = 0;
  for (const name of names) {
    if (i++ >= limit) break;
    for (const type of TYPES) {
      for (const edns of [false, true]) {
        queries.push(
          dnsPacket.encode({
            type: 'query',
            id: queries.length & 0xffff,
            flags: dnsPacket.RECURSION_DESIRED,
            questions: [{ name: (type === 'TXT' ? `nx-${i}.` : '') + name, type }],
            additionals: edns
              ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE } as never]
              : [],
          }),
        );
      }
    }
  }
  return queries;
}
