// Reverse names behind cluster zones (docs/architecture.md §6.17): an address does not say which
// cluster it belongs to, so the clusters are asked in the order configured and the first that
// holds the name answers, its PTR targets in its cluster zone. Where clusters' address ranges
// overlap, that order decides. An address no cluster holds is that of the first cluster's answer
// (NXDOMAIN with its SOA); when a cluster could not be read and none answered, SERVFAIL: never
// NXDOMAIN from a cluster we could not read.
import type { Next } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { normalizeName } from '../rewrite/domain-name.ts';
import { remapMap } from '../rewrite/name-maps.ts';
import { outwardSections } from './cluster-zone.ts';

export interface ReverseCluster {
  zone: string;
  domain: string;
  answer: Next;
}

/** One read per cluster asked: a name the first cluster holds costs one. */
export function reverseClustersNext(clusters: readonly ReverseCluster[]): Next {
  const outward = clusters.map((c) => remapMap(normalizeName(c.domain), normalizeName(c.zone)));
  return async (q) => {
    let first;
    let unreadable = false;
    for (const [i, cluster] of clusters.entries()) {
      const sections = await cluster.answer(q);
      if (sections.rcode === 'SERVFAIL') unreadable = true;
      else if (sections.rcode === 'NOERROR' && sections.answers.length > 0)
        return outwardSections(sections, outward[i]!, normalizeName(q.name), q.name);
      first ??= sections;
    }
    return unreadable ? emptySections('SERVFAIL') : (first ?? emptySections('REFUSED'));
  };
}
