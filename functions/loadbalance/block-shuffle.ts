// `loadbalance round_robin` per server block (CoreDNS: the plugin sits in the blocks that name
// it): the resolver's one `after` hook shuffles a reply only when the block that took its
// question (the longest zone, as core/server-blocks.ts picks it) has round_robin. Read from the
// encoded reply's question, so cached answers are shuffled too. Pure but for `random`.
import { isInZone } from '../core/zone.ts';
import type { Random } from './random-index.ts';
import { shuffleWire } from './shuffle-wire.ts';

export interface ShuffleBlock {
  zones: readonly string[];
  roundRobin: boolean;
}

/** The hook, or undefined when no block has round_robin. */
export function blockShuffle(
  blocks: readonly ShuffleBlock[],
  random: Random,
): ((reply: Buffer) => void) | undefined {
  if (!blocks.some((b) => b.roundRobin)) return undefined;
  if (blocks.every((b) => b.roundRobin)) return (reply) => shuffleWire(reply, random);
  return (reply) => {
    if (reply.length < 12 || ((reply[6]! << 8) | reply[7]!) < 2) return; // nothing to shuffle
    const name = questionName(reply);
    if (name === undefined) return;
    let best: ShuffleBlock | undefined;
    let length = -1;
    for (const b of blocks)
      for (const z of b.zones)
        if (z.length > length && isInZone(name, z)) {
          best = b;
          length = z.length;
        }
    if (best?.roundRobin) shuffleWire(reply, random);
  };
}

/** The question's name, lowercase, no trailing dot (RFC 1035 §4.1.2; uncompressed). */
function questionName(m: Uint8Array): string | undefined {
  let at = 12;
  let name = '';
  for (let len = m[at]; len !== undefined; len = m[at]) {
    if (len === 0) return name;
    if (len > 63 || at + 1 + len > m.length) return undefined;
    let label = '';
    for (let i = at + 1; i <= at + len; i++) label += String.fromCharCode(m[i]!);
    name += (name ? '.' : '') + label.toLowerCase();
    at += 1 + len;
  }
  return undefined;
}
