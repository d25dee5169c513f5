// `loadbalance round_robin` as a plugin of the chain (docs/architecture.md §7), for paths without
// the answer cache: the same shuffle as shuffleWire (shuffle-wire.ts), on `Sections.answers` —
// each run of A, AAAA or MX records sharing an owner in a random order, everything else in place.
import type { Answer } from 'dns-packet';
import type { Plugin } from '../core/plugin.ts';
import { randomIndex, type Random } from './random-index.ts';

const SHUFFLED = new Set(['A', 'AAAA', 'MX']);

export function roundRobinPlugin(random: Random): Plugin {
  return async (q, next) => {
    const sections = await next(q);
    // As CoreDNS: NOERROR replies only, zone transfers untouched.
    if (sections.rcode !== 'NOERROR' || q.type === 'AXFR' || q.type === 'IXFR') return sections;
    const answers = roundRobin(sections.answers, random);
    // A shuffled answer depends on more than the question: never kept by the answer cache.
    return answers === sections.answers ? sections : { ...sections, answers, volatile: true };
  };
}

/** `answers` with each run shuffled (a copy), or `answers` itself when it has no run of two. */
export function roundRobin(answers: readonly Answer[], random: Random): Answer[] {
  let out: Answer[] | undefined;
  for (let start = 0; start < answers.length;) {
    const first = answers[start]!;
    let end = start + 1;
    if (SHUFFLED.has(first.type))
      while (end < answers.length && sameRun(first, answers[end]!)) end++;
    if (end - start > 1) {
      out ??= [...answers];
      for (let i = end - 1; i > start; i--) {
        const j = start + randomIndex(random, i - start);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
    }
    start = end;
  }
  return out ?? (answers as Answer[]);
}

/** Same type and owner, spelled the same, as shuffleWire compares owners (byte for byte). */
const sameRun = (a: Answer, b: Answer) => a.type === b.type && a.name === b.name;
