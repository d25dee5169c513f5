import { canonicalName, type NameNode, type RecordType } from './record.ts';
import type { Store } from './store.ts';
import { findZone, soaRecord, type Zone } from './zone.ts';
import { lookupNode } from './lookup.ts';
import { findSet, toAnswers } from './rrset.ts';
import type { ForwardFlags, Forwarder } from './forwarder.ts';
import { emptySections, type Rcode, type Sections } from './sections.ts';

export interface AnswerContext {
  store: Store;
  zones: readonly Zone[];
  /** Names outside our zones and CNAME targets leaving them (docs/architecture.md §6.12);
   *  absent: REFUSED. */
  forward?: Forwarder;
  /**
   * Told when answering a question threw (the store cannot be trusted, §6.7): the question as
   * asked and the error; the answer is SERVFAIL. For the errors plugin (CoreDNS `errors`).
   */
  onError?: (question: { name: string; type: string }, error: unknown) => void;
}

const NO_FLAGS: ForwardFlags = { cd: false, do: false };

/** Longest CNAME chain followed inside our data (RFC 1034 §3.6.2 leaves the bound to us). */
const MAX_CNAME_CHAIN = 8;
/** At most this many SRV/NS targets get address records in the additional section. */
const MAX_ADDITIONAL_TARGETS = 8;

/**
 * Answers one question (RFC 1034 §4.3.2) from the store. `qname` is the question as asked: the
 * first owner name echoes its case. Store failures become SERVFAIL, never NXDOMAIN.
 */
export async function answerQuestion(
  qname: string,
  qtype: string,
  ctx: AnswerContext,
  flags: ForwardFlags = NO_FLAGS,
): Promise<Sections> {
  const name = canonicalName(qname);
  const first = findZone(ctx.zones, name);
  // Outside every zone we serve: the forwarder's, or REFUSED (never an open resolver,
  // docs/architecture.md §6.7).
  if (!first)
    return ctx.forward?.handles(name)
      ? echoCase(await ctx.forward.forward({ name, type: qtype, class: 'IN' }, flags), name, qname)
      : emptySections('REFUSED');
  try {
    return await walk(qname, qtype, first, ctx, flags);
  } catch (error) {
    ctx.onError?.({ name: qname, type: qtype }, error);
    return emptySections('SERVFAIL');
  }
}

/** Types for which CoreDNS's backend follows a CNAME (plugin/backend_lookup.go A, AAAA, TXT). */
const COREDNS_FOLLOWS = new Set(['A', 'AAAA', 'TXT']);

async function walk(
  qname: string,
  qtype: string,
  firstZone: Zone,
  ctx: AnswerContext,
  flags: ForwardFlags,
): Promise<Sections> {
  const out: Sections = emptySections('NOERROR', true);
  const coredns = firstZone.cname === 'coredns';
  const seen = new Set<string>();
  let owner = qname;
  let zone = firstZone;
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const name = canonicalName(owner);
    seen.add(name);
    const node = await lookupNode(ctx.store, zone, name);
    if (!node) return negative(out, 'NXDOMAIN', coredns ? firstZone : zone, ctx);
    if (qtype === 'SOA' && name === zone.name) {
      out.answers.push({ ...soaRecord(zone, ctx.store.serial()), name: owner });
      return out;
    }
    const wanted = pick(node, qtype);
    if (wanted) {
      out.answers.push(...toAnswers(owner, wanted));
      await addAdditionals(out, ctx);
      return out;
    }
    const cname = findSet(node, 'CNAME');
    const target = cname?.type === 'CNAME' ? cname.data[0] : undefined;
    if (!cname || target === undefined || (coredns && !COREDNS_FOLLOWS.has(qtype)))
      return negative(out, 'NOERROR', zone, ctx);
    // RFC 1034 §3.6.2: answer the CNAME, then restart at its target while it stays in our data.
    out.answers.push(...toAnswers(owner, cname));
    const next = findZone(ctx.zones, canonicalName(target));
    if (!next)
      return ctx.forward?.handles(canonicalName(target))
        ? chaseUpstream(out, canonicalName(target), qtype, ctx.forward, flags)
        : out;
    if (seen.has(canonicalName(target)))
      return coredns ? negative(out, 'NOERROR', firstZone, ctx) : out;
    owner = canonicalName(target);
    zone = next;
  }
  return coredns ? negative(out, 'NOERROR', firstZone, ctx) : out;
}

/** The RRset that answers qtype at this node; for ANY one RRset only (RFC 8482 §4.1). */
function pick(node: NameNode, qtype: string) {
  if (qtype === 'ANY') return findSet(node, 'CNAME') ?? node.sets[0];
  return findSet(node, qtype as RecordType);
}

/**
 * NODATA or NXDOMAIN: the zone SOA in authority, its TTL the negative TTL (RFC 2308 §3). In a
 * 'coredns' zone a CNAME chain that ends here is dropped and the answer is NODATA, as CoreDNS
 * adds a CNAME only when its target has records (plugin/backend_lookup.go).
 */
function negative(out: Sections, rcode: Rcode, zone: Zone, ctx: AnswerContext): Sections {
  if (zone.cname === 'coredns' && out.answers.length > 0) {
    out.answers = [];
    rcode = 'NOERROR';
  }
  out.rcode = rcode;
  out.authorities.push(soaRecord(zone, ctx.store.serial()));
  return out;
}

/** Address records for SRV and NS targets held in our data (RFC 2782, RFC 1035 §3.3.11). */
async function addAdditionals(out: Sections, ctx: AnswerContext): Promise<void> {
  const targets: string[] = [];
  for (const rr of out.answers) {
    const target = rr.type === 'SRV' ? rr.data.target : rr.type === 'NS' ? rr.data : undefined;
    if (target !== undefined && !targets.includes(canonicalName(target)))
      targets.push(canonicalName(target));
    if (targets.length >= MAX_ADDITIONAL_TARGETS) break;
  }
  for (const target of targets) {
    const zone = findZone(ctx.zones, target);
    if (!zone) continue;
    const node = await lookupNode(ctx.store, zone, target);
    if (!node) continue;
    for (const type of ['A', 'AAAA'] as const) {
      const set = findSet(node, type);
      if (set) out.additionals.push(...toAnswers(target, set));
    }
  }
}

/**
 * A CNAME whose target leaves our zones (an ExternalName service): the upstream's answer for the
 * target follows our CNAME (RFC 1034 §4.3.2 step 3a), with its rcode (RFC 6604 §3: the rcode is
 * the last name's) and its authority. AA stays: it speaks for the owner name (RFC 1035 §4.1.1).
 * Whether it is stale, and how long it may be cached, are the upstream answer's.
 */
async function chaseUpstream(
  out: Sections,
  target: string,
  qtype: string,
  forward: Forwarder,
  flags: ForwardFlags,
): Promise<Sections> {
  const upstream = await forward.forward({ name: target, type: qtype, class: 'IN' }, flags);
  const ok = upstream.rcode === 'NOERROR' || upstream.rcode === 'NXDOMAIN';
  const answers = [...out.answers, ...upstream.answers];
  const keep = {
    ...(upstream.stale && { stale: true }),
    ...(upstream.cached && { cached: true }),
    ...(upstream.cacheableMs !== undefined && { cacheableMs: upstream.cacheableMs }),
  };
  return {
    ...out,
    rcode: ok ? upstream.rcode : 'SERVFAIL',
    answers,
    authorities: upstream.authorities,
    forwarded: true,
    ...keep,
  };
}

/** The answer to a forwarded question echoes the question's case (0x20) in its first owner names. */
export function echoCase(sections: Sections, name: string, asked: string): Sections {
  const answers =
    name === asked
      ? sections.answers
      : sections.answers.map((rr) =>
          canonicalName(rr.name) === name ? { ...rr, name: asked } : rr,
        );
  return { ...sections, answers, aa: false, forwarded: true };
}
