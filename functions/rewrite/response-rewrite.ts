// The way back: the response rules of the rules that matched, applied to every record of every
// section, the last rule's first (CoreDNS's rewrite docs: requests are rewritten in line order,
// responses in reverse). `name` rules change owner names; `value` rules change the names inside
// CNAME, DNAME, NS, PTR, MX, SRV, NAPTR (replacement) and SOA (MNAME) rdata, as CoreDNS's do.
// Records are copied when changed, never modified: what `next` returned may be cached.
import type { Answer } from 'dns-packet';
import type { Sections } from '../core/sections.ts';
import { bareName, fqdn } from './domain-name.ts';
import type { ResponseRule } from './rewrite-rule.ts';

/**
 * `sections` with `rules` applied. An owner name that comes back to the name the client asked
 * (`asked`, lowercase and fully qualified) takes the client's spelling (`spelling`), as every
 * answer of edge-dns echoes the question's case (docs/architecture.md §6.3).
 */
export function rewriteResponse(
  sections: Sections,
  rules: readonly ResponseRule[],
  asked: string,
  spelling: string,
): Sections {
  const names = rules.filter((r) => r.field === 'name').reverse();
  const values = rules.filter((r) => r.field === 'value').reverse();
  const record = (rr: Answer): Answer => {
    if (rr.type === 'OPT') return rr;
    const owner = mapped(rr.name, names);
    const value = rdataName(rr);
    const data = value === undefined ? undefined : mapped(value, values);
    if (owner === undefined && data === undefined) return rr;
    let out = data === undefined ? rr : withRdataName(rr, data);
    if (owner !== undefined) out = { ...out, name: owner === asked ? spelling : bareName(owner) };
    return out;
  };
  return {
    ...sections,
    answers: sections.answers.map(record),
    authorities: sections.authorities.map(record),
    additionals: sections.additionals.map(record),
  };
}

/** The name after `rules` (compared lowercase, RFC 4343), or undefined when none changed it. */
function mapped(name: string, rules: readonly ResponseRule[]): string | undefined {
  if (rules.length === 0) return undefined;
  const before = fqdn(name).toLowerCase();
  let after = before;
  for (const rule of rules) after = rule.map(after);
  return after === before ? undefined : after;
}

function rdataName(rr: Answer): string | undefined {
  switch (rr.type) {
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return rr.data;
    case 'MX':
      return rr.data.exchange;
    case 'SRV':
      return rr.data.target;
    case 'NAPTR':
      return rr.data.replacement;
    case 'SOA':
      return rr.data.mname;
    default:
      return undefined;
  }
}

function withRdataName(rr: Answer, name: string): Answer {
  const bare = bareName(name);
  switch (rr.type) {
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return { ...rr, data: bare };
    case 'MX':
      return { ...rr, data: { ...rr.data, exchange: bare } };
    case 'SRV':
      return { ...rr, data: { ...rr.data, target: bare } };
    case 'NAPTR':
      return { ...rr, data: { ...rr.data, replacement: bare } };
    case 'SOA':
      return { ...rr, data: { ...rr.data, mname: bare } };
    default:
      return rr;
  }
}
