// The authoritative algorithm of RFC 1034 §4.3.2 over zone files, as NSD answers (query.c
// answer_lookup_zone, answer_authoritative, answer_domain): referrals below delegations (step
// 3b), CNAME chains followed through the zones held (3a), DNAME (RFC 6672 §3.1), wildcards at
// the closest encloser (RFC 4592 §3.3.1), NXDOMAIN and NODATA with the SOA (RFC 2308 §3), the apex
// NS in authority on positive answers, addresses of NS, MX and SRV targets in additional.
import type { Answer } from 'dns-packet';
import { emptySections, type Sections } from '../core/sections.ts';
import { canonicalName } from '../core/record.ts';
import { isInZone } from '../core/zone.ts';
import { typeNumber } from '../doh/record-types.ts';
import { addRrset } from './additional-records.ts';
import { ResponseBuilder, Section } from './response-builder.ts';
import { parentName, T, type ZoneData } from './zone-data.ts';

/** The zone holding a name (longest match), or undefined: not ours. */
export type ZoneFor = (name: string) => ZoneData | undefined;

const ANY = 255;
const DS = 43;
/** RFC 8482 §4.1: ANY answers one RRset; NSD prefers these types, and these the least. */
const PREFERRED = new Set([T.A, T.AAAA, T.SOA, T.MX, 12]);
const LEAST = new Set([48, 46, 47]); // DNSKEY, RRSIG, NSEC
/** No positive answer for these gets the apex NS (NSD answer_needs_ns: large RRsets). */
const NO_NS = new Set([48, DS, ANY]);
/** A bound on the names one question visits; loops stop earlier, at a repeated RRset. */
const MAX_STEPS = 64;

interface Query {
  qtype: number;
  /** QCLASS ANY (RFC 1035 §3.2.5): not authoritative, no SOA or NS in authority (NSD). */
  classAny: boolean;
  /** CNAMEs followed (synthesized ones included). */
  cnames: number;
  steps: number;
  r: ResponseBuilder;
  zoneFor: ZoneFor;
}

/** The answer to `qname` (as asked) `qtype` `qclass` (dns-packet names) from the zones held. */
export function authoritativeAnswer(
  qname: string,
  qtype: string,
  qclass: string,
  zoneFor: ZoneFor,
): Sections {
  const name = canonicalName(qname);
  if (!zoneFor(name)) return emptySections('REFUSED');
  const r = new ResponseBuilder();
  const q: Query = {
    qtype: typeNumber(qtype) ?? 0,
    classAny: qclass === 'ANY',
    cnames: 0,
    steps: 0,
    r,
    zoneFor,
  };
  lookup(q, name);
  return r.sections(qname);
}

function lookup(q: Query, name: string): void {
  let zone = q.zoneFor(name);
  if (!zone || ++q.steps > MAX_STEPS) return; // a CNAME target outside our zones: the chain ends
  // DS at a child apex is the parent's (RFC 4035 §3.1.4.1), when the parent is held too.
  if (q.qtype === DS && name === zone.origin && name !== '')
    zone = q.zoneFor(parentName(name)) ?? zone;
  let encloser = name;
  while (!zone.exists(encloser) && encloser !== zone.origin) encloser = parentName(encloser);
  const exact = encloser === name && zone.exists(name);
  let cut: string | undefined; // the highest delegation at or above the encloser
  for (let n = encloser; n !== zone.origin && n !== ''; n = parentName(n))
    if (zone.rrset(n, T.NS)) cut = n;
  if (cut !== undefined && dnameAbove(zone, cut) === undefined) {
    if (!(exact && q.qtype === DS && encloser === cut)) {
      // RFC 1034 §4.3.2 step 3b: a referral, authoritative only after a CNAME (NSD).
      q.r.aa = q.cnames > 0;
      addRrset(q.r, zone, Section.authority, cut, cut, zone.rrset(cut, T.NS)!);
      return;
    }
  }
  q.r.aa = !q.classAny;
  authoritative(q, zone, name, encloser, exact);
}

function authoritative(q: Query, zone: ZoneData, name: string, encloser: string, exact: boolean) {
  const dname = dnameAbove(zone, encloser);
  if (dname !== undefined) [encloser, exact] = [dname, false]; // RFC 6672 §2.4: data below is hidden
  if (exact) return answerAt(q, zone, name, name);
  const dnameSet = zone.rrset(encloser, T.DNAME);
  if (dnameSet) return synthesize(q, zone, name, encloser, dnameSet);
  const wildcard = `*.${encloser}`;
  if (zone.exists(wildcard)) return answerAt(q, zone, name, wildcard);
  q.r.rcode = 'NXDOMAIN';
  negative(q, zone);
}

/** The RRsets held at `source` answered as `owner` (a wildcard answers as the name asked). */
function answerAt(q: Query, zone: ZoneData, owner: string, source: string): void {
  const sets = zone.rrsets(source);
  if (q.qtype === ANY) {
    let chosen: number | undefined;
    let normal: number | undefined;
    let least: number | undefined;
    for (const type of sets.keys()) {
      if (PREFERRED.has(type)) {
        chosen = type;
        break;
      }
      if (LEAST.has(type)) least = type;
      else normal = type;
    }
    chosen ??= normal ?? least;
    if (chosen === undefined) return negative(q, zone);
    addRrset(q.r, zone, Section.answer, owner, source, sets.get(chosen)!);
    return;
  }
  const set = sets.get(q.qtype);
  const cname = sets.get(T.CNAME);
  if (!set && cname) {
    // RFC 1034 §4.3.2 step 3a: the CNAME, then its target; a CNAME seen before is a loop.
    if (!addRrset(q.r, zone, Section.answer, owner, source, cname)) return;
    q.cnames++;
    const first = cname[0]!;
    return lookup(q, first.type === 'CNAME' ? canonicalName(first.data) : '');
  }
  if (!set) return negative(q, zone);
  addRrset(q.r, zone, Section.answer, owner, source, set);
  const ns = zone.rrset(zone.origin, T.NS);
  if (ns && !q.classAny && !NO_NS.has(q.qtype))
    addRrset(q.r, zone, Section.optionalAuthority, zone.origin, zone.origin, ns);
}

/** RFC 6672 §3.1: the DNAME, a CNAME synthesized from it (its TTL), then the new name. */
function synthesize(q: Query, zone: ZoneData, name: string, owner: string, dname: Answer[]) {
  const first = dname[0]!;
  const target = first.type === 'DNAME' ? canonicalName(first.data) : '';
  const added = addRrset(q.r, zone, Section.answer, owner, owner, dname);
  if (!added && isInZone(target, owner)) return; // the same DNAME again, pointing below itself
  const prefix = name.slice(0, name.length - owner.length - 1);
  const renamed = target === '' ? prefix : `${prefix}.${target}`;
  q.cnames++;
  // RFC 6672 §2.2: a result longer than a name may be is YXDOMAIN.
  if (renamed.length + 2 > 255) {
    q.r.rcode = 'YXDOMAIN';
    return;
  }
  if (q.r.hasCname(name, renamed)) return;
  const cname: Answer = { name, type: 'CNAME', class: 'IN', ttl: dnameTtl(first), data: renamed };
  q.r.add(Section.answer, `${name}|synthesized|${renamed}`, [cname]);
  if (q.qtype === T.CNAME) return; // the synthesized CNAME answers a CNAME question (NSD, BIND)
  lookup(q, renamed);
}

const dnameTtl = (rr: Answer) => (rr.type === 'DNAME' ? rr.ttl : 0);

/** NODATA or NXDOMAIN's authority: the SOA, TTL min(TTL, MINIMUM) (RFC 2308 §3). */
function negative(q: Query, zone: ZoneData): void {
  if (!q.classAny) q.r.add(Section.authority, `${zone.origin}|negative|SOA`, [zone.negativeSoa]);
}

/** The nearest DNAME strictly above `name` and below the apex (NSD find_dname_above). */
function dnameAbove(zone: ZoneData, name: string): string | undefined {
  for (let n = parentName(name); n !== zone.origin && isInZone(n, zone.origin); n = parentName(n))
    if (zone.rrset(n, T.DNAME)) return n;
  return undefined;
}
