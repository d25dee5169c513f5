// RDATA in presentation format (RFC 1035 §5.1) for the JSON API's `data`, as Google's and
// Cloudflare's JSON APIs print it: names fully qualified with their trailing dot, TXT quoted.
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';

/** dns-packet's per-type RDATA codec (exported, not in its typings): RDLENGTH then RDATA. */
const rdataCodec = (
  dnsPacket as unknown as { record(type: string): { encode(data: unknown): Uint8Array } }
).record;

/** A decoded name with exactly one trailing dot; the root is '.'. */
export function fqdn(name: string): string {
  return name === '' || name === '.' ? '.' : name.endsWith('.') ? name : `${name}.`;
}

/** One character-string, quoted; `"` and `\` escaped, other non-printables as \DDD (RFC 1035 §5.1). */
function quoteString(bytes: Uint8Array): string {
  let text = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) text += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) text += `\\${String(b).padStart(3, '0')}`;
    else text += String.fromCharCode(b);
  }
  return `${text}"`;
}

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** RDATA text of one decoded record; types edge-dns does not serve in the RFC 3597 §5 form. */
export function rdataText(rr: Answer): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.data;
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return fqdn(rr.data);
    case 'SRV':
      return `${rr.data.priority ?? 0} ${rr.data.weight ?? 0} ${rr.data.port} ${fqdn(rr.data.target)}`;
    case 'MX':
      return `${rr.data.preference ?? 0} ${fqdn(rr.data.exchange)}`;
    case 'TXT': {
      const strings = Array.isArray(rr.data) ? rr.data : [rr.data];
      return strings
        .map((s) => quoteString(typeof s === 'string' ? new TextEncoder().encode(s) : s))
        .join(' ');
    }
    case 'SOA': {
      const d = rr.data;
      return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial ?? 0} ${d.refresh ?? 0} ${d.retry ?? 0} ${d.expire ?? 0} ${d.minimum ?? 0}`;
    }
    default: {
      const rdata = rdataCodec(rr.type)
        .encode((rr as { data?: unknown }).data)
        .subarray(2);
      return `\\# ${rdata.length}${rdata.length ? ` ${hex(rdata)}` : ''}`;
    }
  }
}
