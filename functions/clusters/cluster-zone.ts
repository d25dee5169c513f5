// A cluster zone (docs/architecture.md §6.17): `web.shop.svc.east.example.com` is the name
// `web.shop.svc.cluster.local` of cluster `east`. The question goes to that cluster's answer under
// its own domain; every name of the answer that lies in that domain comes back in the cluster
// zone: owner names, names in rdata (CNAME, NS, PTR, MX, SRV, NAPTR) and both SOA names, so a
// client that follows an SRV target or a CNAME stays in the cluster it asked.
import type { Answer } from 'dns-packet';
import type { Next } from '../core/plugin.ts';
import type { Sections } from '../core/sections.ts';
import { bareName, normalizeName } from '../rewrite/domain-name.ts';
import { remapMap } from '../rewrite/name-maps.ts';
import { rewriteResponse } from '../rewrite/response-rewrite.ts';
import type { NameMap, ResponseRule } from '../rewrite/rewrite-rule.ts';

export interface ClusterZone {
  /** The zone clients ask under, canonical (no trailing dot). */
  zone: string;
  /** The cluster id whose items answer it. */
  cluster: string;
}

/**
 * The chain end for `zone`: names under it are asked of `answer` (the cluster's resolver) under
 * `domain` (the cluster's own, e.g. cluster.local), and the answer is mapped back.
 */
export function clusterZoneNext(zone: string, domain: string, answer: Next): Next {
  const inward = remapMap(normalizeName(zone), normalizeName(domain));
  const outward = remapMap(normalizeName(domain), normalizeName(zone));
  return async (q) => {
    const asked = normalizeName(q.name);
    const name = bareName(inward(asked));
    return outwardSections(await answer({ ...q, name, zone: domain }), outward, asked, q.name);
  };
}

const rules = (map: NameMap): ResponseRule[] => [
  { field: 'name', map },
  { field: 'value', map },
];

/** `sections` with every name in the cluster's domain moved into its zone (records copied). */
export function outwardSections(
  sections: Sections,
  outward: NameMap,
  asked: string,
  spelling: string,
): Sections {
  const moved = rewriteResponse(sections, rules(outward), asked, spelling);
  // CoreDNS's rewrite leaves the SOA RNAME; a cluster zone's SOA names its own hostmaster.
  const rname = (rr: Answer): Answer => {
    if (rr.type !== 'SOA') return rr;
    const after = outward(normalizeName(rr.data.rname));
    return after === normalizeName(rr.data.rname)
      ? rr
      : { ...rr, data: { ...rr.data, rname: bareName(after) } };
  };
  return { ...moved, authorities: moved.authorities.map(rname), answers: moved.answers.map(rname) };
}
