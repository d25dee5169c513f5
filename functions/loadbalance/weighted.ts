// `loadbalance weighted` as a plugin of the chain: for A, AAAA and SRV questions, in the answer
// and additional sections, the address records (A and AAAA) go after CNAMEs and other records and
// before MX, and one address, chosen at random in proportion to its weight (1 when the weight file
// does not name it), is swapped into the first place among them, as CoreDNS's weighted policy does.
import type { Answer } from 'dns-packet';
import { parseIp } from '../core/ip.ts';
import type { Plugin } from '../core/plugin.ts';
import { canonicalName } from '../core/record.ts';
import type { Random } from './random-index.ts';
import type { Weights } from './weights-file.ts';

const QUESTIONS = new Set(['A', 'AAAA', 'SRV']);

/** `weights()` is read per query, so the entry may swap in a reloaded file at any time. */
export function weightedPlugin(weights: () => Weights, random: Random): Plugin {
  return async (q, next) => {
    const sections = await next(q);
    if (sections.rcode !== 'NOERROR' || !QUESTIONS.has(q.type)) return sections;
    const w = weights();
    return {
      ...sections,
      answers: weightedOrder(sections.answers, w, random),
      additionals: weightedOrder(sections.additionals, w, random),
      volatile: true, // depends on more than the question: never kept by the answer cache
    };
  };
}

/** `records` in CoreDNS's weighted order: CNAMEs, others, addresses (the chosen first), MX. */
export function weightedOrder(records: Answer[], weights: Weights, random: Random): Answer[] {
  const cnames: Answer[] = [];
  const others: Answer[] = [];
  const addresses: Answer[] = [];
  const mx: Answer[] = [];
  for (const rr of records) {
    if (rr.type === 'CNAME') cnames.push(rr);
    else if (rr.type === 'A' || rr.type === 'AAAA') addresses.push(rr);
    else if (rr.type === 'MX') mx.push(rr);
    else others.push(rr);
  }
  if (addresses.length === 0) return records;
  const top = topIndex(addresses, weights, random);
  [addresses[0], addresses[top]] = [addresses[top]!, addresses[0]!];
  return [...cnames, ...others, ...addresses, ...mx];
}

/** The index of the address to put first: heaviest first, then a draw over the weights' sum. */
function topIndex(addresses: readonly Answer[], weights: Weights, random: Random): number {
  const weighted = addresses.map((rr, index) => {
    const ip = rr.type === 'A' || rr.type === 'AAAA' ? parseIp(rr.data)?.text : undefined;
    const weight = (ip && weights.get(canonicalName(rr.name))?.get(ip)) || 1;
    return { index, weight };
  });
  weighted.sort((a, b) => b.weight - a.weight);
  const sum = weighted.reduce((total, a) => total + a.weight, 0);
  const drawn = Math.floor(random() * sum);
  const v = drawn >= 0 && drawn < sum ? drawn : sum - 1;
  let seen = 0;
  for (const a of weighted) {
    seen += a.weight;
    if (v < seen) return a.index;
  }
  return 0;
}
