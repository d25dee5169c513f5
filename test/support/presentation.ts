// Resource records in presentation format (RFC 1035 §5.1), one line each, so tests can compare
// answers as text: `web.shop.svc.cluster.local. 5 IN A 10.96.12.34`.
// Owner names keep their case (answers echo the question's case); AAAA is printed in the
// RFC 5952 canonical form so that expected and actual strings compare equal.
import type { Answer } from 'dns-packet';
import { fqdn, rdataText as dohRdataText } from '../../functions/doh/rdata-text.ts';

export { fqdn };

/** RFC 5952 §4: lowercase, no leading zeros, the longest run (>1) of zero groups as '::'. */
function canonicalIPv6(address: string): string {
  const groups = parseIPv6(address);
  if (!groups) return address.toLowerCase();
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail allowed), or undefined. */
function parseIPv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const v4 = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const o = v4.slice(2).map(Number) as [number, number, number, number];
    if (o.some((n) => n > 255)) return undefined;
    text = `${v4[1]}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : fill).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16));
}

/**
 * RDATA in presentation format: the DoH JSON API's (functions/doh/rdata-text.ts), with AAAA in
 * the RFC 5952 canonical form so that expected and actual strings compare equal, and OPT shown.
 */
function rdataText(rr: Answer): string {
  if (rr.type === 'AAAA') return canonicalIPv6(rr.data);
  if (rr.type === 'OPT') return `udp=${rr.udpPayloadSize} flags=${rr.flags}`;
  return dohRdataText(rr);
}

/** One record as `owner. TTL CLASS TYPE RDATA`. */
export function toPresentation(rr: Answer): string {
  if (rr.type === 'OPT') return `${fqdn(rr.name)} OPT ${rdataText(rr)}`;
  return `${fqdn(rr.name)} ${rr.ttl ?? 0} ${rr.class ?? 'IN'} ${rr.type} ${rdataText(rr)}`;
}

/**
 * Normalises a hand-written presentation line for comparison: single spaces, owner and
 * rdata names fully qualified, AAAA canonical. Case is kept.
 */
export function normalizeLine(line: string): string {
  const f = line.trim().split(/\s+/);
  if (f.length < 5) return f.join(' ');
  const [owner, ttl, cls, type, ...rdata] = f as [string, string, string, string, ...string[]];
  let data = rdata;
  const t = type.toUpperCase();
  if (t === 'AAAA' && rdata[0]) data = [canonicalIPv6(rdata[0])];
  if (['CNAME', 'DNAME', 'NS', 'PTR'].includes(t) && rdata[0]) data = [fqdn(rdata[0])];
  if (t === 'SRV' && rdata.length === 4) data = [...rdata.slice(0, 3), fqdn(rdata[3] as string)];
  if (t === 'SOA' && rdata.length === 7)
    data = [fqdn(rdata[0] as string), fqdn(rdata[1] as string), ...rdata.slice(2)];
  return [fqdn(owner), ttl, cls.toUpperCase(), t, ...data].join(' ');
}

/** A section as sorted lines, OPT left out and SOA serials as `*` (they are change counters). */
export function sectionLines(rrs: Answer[] | undefined): string[] {
  return (rrs ?? [])
    .filter((rr) => rr.type !== 'OPT')
    .map((rr) => {
      const text = toPresentation(rr);
      return rr.type === 'SOA' ? text.replace(/^(\S+ \d+ IN SOA \S+ \S+) \d+/, '$1 *') : text;
    })
    .sort();
}
