// The edge Corefile (edge-corefile.ts) put in front of the edge's own answers: each server block
// runs its `rewrite` and `template` (CoreDNS's order), then what the edge serves without a
// Corefile (the published hosts and file zones, the Kubernetes names: edge-zones.ts), whose names
// outside the zones go to the block's `forward` upstreams. A name in no block is REFUSED, as
// CoreDNS answers a name no server block serves (functions/core/server-blocks.ts).
import { answerQuestion } from '../core/answer.ts';
import { chainOf, type Next, type PluginQuery } from '../core/plugin.ts';
import { canonicalName } from '../core/record.ts';
import type { ResolverContext } from '../core/resolver.ts';
import { emptySections } from '../core/sections.ts';
import { blockFor, type ServerBlockChain } from '../core/server-blocks.ts';
import { isInZone } from '../core/zone.ts';
import type { Forwarder } from '../core/forwarder.ts';
import { shuffleWire } from '../loadbalance/shuffle-wire.ts';
import { templatePlugin } from '../template/template-plugin.ts';
import type { EdgeCorefile } from './edge-corefile.ts';
import { edgeForwarder } from './edge-forwarder.ts';
import type { EdgeBudgets } from './edge-deadline.ts';

/** A query through the blocks of `blocks`, as the resolver sends it (REFUSED in none). */
function through(blocks: () => readonly ServerBlockChain[]): Next {
  return (q: PluginQuery) => {
    const block = blockFor(blocks(), canonicalName(q.name));
    return block
      ? block.next({ ...q, zone: block.zone })
      : Promise.resolve(emptySections('REFUSED'));
  };
}

/** The Corefile's `forward` zones as one forwarder: a name goes to its longest FROM. */
function forwardZones(
  corefile: EdgeCorefile,
  now: () => number,
  budget?: EdgeBudgets['forward'],
): Forwarder | undefined {
  const zones = corefile.forwards
    .map((f) => ({ zone: f.zone, to: edgeForwarder(f, now, undefined, budget)! }))
    .sort((a, b) => b.zone.length - a.zone.length);
  if (zones.length === 0) return undefined;
  const zoneOf = (name: string) => zones.find((z) => isInZone(canonicalName(name), z.zone));
  return {
    handles: (name) => zoneOf(name) !== undefined,
    forward: (question, flags) => zoneOf(question.name)!.to.forward(question, flags),
    isLoop: (id, question, mark) => zones.some((z) => z.to.isLoop?.(id, question, mark)),
  };
}

/**
 * Puts `corefile` in front of `ctx.blocks` (the edge's own chain) and its forwarders in
 * `ctx.forward`.
 */
export function applyEdgeCorefile(
  ctx: ResolverContext,
  corefile: EdgeCorefile,
  now: () => number,
  /** The upstreams' share of the request deadline (edge-deadline.ts). */
  budget?: EdgeBudgets['forward'],
): void {
  const own = ctx.blocks;
  const forward = forwardZones(corefile, now, budget);
  if (forward) ctx.forward = forward;
  // Without the sync's hosts and file sources the edge's own answer is the Kubernetes names.
  const rest: Next = own ? through(() => own) : (q) => answerQuestion(q.name, q.type, ctx, q.flags);
  // CoreDNS's template follows a CNAME through the whole server (its `upstream`).
  const upstream = through(() => ctx.blocks ?? []);
  ctx.blocks = corefile.blocks.map((b) => ({
    zones: b.zones,
    next: chainOf(
      [
        ...(b.rewrite ? [b.rewrite] : []),
        ...(b.templates.length
          ? [templatePlugin(b.templates, { upstream, env: corefile.env })]
          : []),
      ],
      rest,
    ),
  }));
  if (corefile.roundRobin) ctx.after = (reply) => shuffleWire(reply, Math.random);
}
