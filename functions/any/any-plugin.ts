// CoreDNS's `any` plugin: an ANY query gets one HINFO record instead of every record of the name
// (RFC 8482 §4.2: a small answer that is not the full set; §7: TTL and text are the
// responder's choice). CoreDNS answers `"ANY obsoleted" "See RFC 8482"` with TTL 8482, for any
// name, without asking the rest of the chain; other types pass on.
import type { Plugin } from '../core/plugin.ts';

/** The HINFO CoreDNS's `any` answers with (plugin/any README). */
export const ANY_HINFO = { cpu: 'ANY obsoleted', os: 'See RFC 8482', ttl: 8482 } as const;

export function anyPlugin(): Plugin {
  return async (q, next) => {
    if (q.type !== 'ANY') return next(q);
    return {
      rcode: 'NOERROR',
      aa: false,
      answers: [
        {
          name: q.name,
          type: 'HINFO',
          class: 'IN',
          ttl: ANY_HINFO.ttl,
          data: { cpu: ANY_HINFO.cpu, os: ANY_HINFO.os },
        },
      ],
      authorities: [],
      additionals: [],
    };
  };
}
