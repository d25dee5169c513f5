// A Corefile's server blocks as plugin chains (docs/architecture.md §7): each block's query-time
// plugins, built from their directives and run in CoreDNS's order (not the order written), end
// with SERVFAIL as CoreDNS's chain does when no plugin answers. Built with each generation
// (container-generation.ts) and closed when it retires.
import type { AnswerContext } from '../core/answer.ts';
import { forwardPlugin } from '../core/forward-plugin.ts';
import type { Forwarder } from '../core/forwarder.ts';
import { chainOf, type Plugin } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import type { ServerBlockChain } from '../core/server-blocks.ts';
import { zonePlugin } from '../core/zone-plugin.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { loadbalanceFromDirective } from '../loadbalance/loadbalance-corefile.ts';
import { blockShuffle, type ShuffleBlock } from '../loadbalance/block-shuffle.ts';
import { rewriteFromDirectives } from '../rewrite/rewrite-corefile.ts';
import { anyFromDirective } from '../any/any-corefile.ts';
import { bufsizeOfBlocks } from '../bufsize/bufsize-corefile.ts';
import { LoopDetector, type LoopFound } from '../loop/loop-detector.ts';
import { templateFromDirective } from '../template/template-corefile.ts';
import { templatePlugin, type TemplatePluginOptions } from '../template/template-plugin.ts';
import {
  fileSource,
  hostsSource,
  weightedSource,
  type BlockSource,
} from './container-block-sources.ts';
import { cacheFromDirective, forwardFromDirective } from '../forward/forward-corefile.ts';
import {
  cacheSchema,
  forwardSchema,
  type CacheConfig,
  type ForwardConfig,
} from '../forward/forward-config.ts';
import { validateWith } from '../../common/config/fields.ts';
import type { ForwardZones } from '../forward/forward-zones.ts';
import { inPluginOrder } from '../corefile/plugin-order.ts';
import { checkedAt, ONCE } from './container-block-checks.ts';
import { autopathFromDirective } from '../autopath/autopath-corefile.ts';
import { autopathPlugin, type AutopathOptions } from '../autopath/autopath-plugin.ts';

export { checkBlocks } from './container-block-checks.ts';

/** One server block as the configuration keeps it (container-config.ts `servers`). */
export interface ServerConfig {
  zones: string[];
  plugins: Directive[];
}

export interface BlockParts {
  /** The kubernetes records: store, zones and the forwarder for CNAME targets leaving them. */
  kubernetes: () => AnswerContext;
  /** The same records in the `k8s_external` zones (docs/architecture.md §6.18). */
  external?: () => AnswerContext;
  /** Builds a block's forwarder from its `forward` blocks and `cache` (container-forwarder.ts). */
  forwarder: (forward: ForwardConfig[], cache: CacheConfig) => ForwardZones | undefined;
  /** Where the template plugin reports matches and failures, and what its `env` reads. */
  template: TemplatePluginOptions;
  /** A source file that could not be re-read (the data already loaded keeps answering). */
  warn: (line: string) => void;
  /** `autopath @kubernetes`: the kubernetes zones and the namespace of a client's pod. */
  autopath?: AutopathOptions;
  /** `loop` found a forwarding loop (CoreDNS stops the process). */
  loopFound?: (loop: LoopFound) => void;
}

export interface BuiltBlocks {
  chains: ServerBlockChain[];
  /** Every block's forwarders, for RA and loop detection (resolver.ts). */
  forwarders: ForwardZones[];
  /** Moves whenever a `file` or `hosts` source changes (the answer cache keys on it). */
  version(): number;
  /** `loop` in blocks with `forward`: the probes to send once the server listens. */
  loops: LoopDetector[];
  /** `bufsize` (the same in every block that has it): the largest UDP answer (resolver.ts). */
  udpSize: number | undefined;
  /** `loadbalance` (round robin): shuffles the encoded replies of its blocks, cached or not. */
  after: ((reply: Buffer) => void) | undefined;
  close(): void;
}

const SERVFAIL = () => Promise.resolve(emptySections('SERVFAIL'));

export async function buildBlocks(
  servers: readonly ServerConfig[],
  parts: BlockParts,
): Promise<BuiltBlocks> {
  const forwarders: ForwardZones[] = [];
  const sources: BlockSource[] = [];
  const loops: LoopDetector[] = [];
  const shuffles: ShuffleBlock[] = [];
  const closeAll = () => {
    forwarders.forEach((f) => f.close());
    sources.forEach((x) => x.close());
  };
  try {
    const chains: ServerBlockChain[] = [];
    for (const server of servers) {
      const ordered = inPluginOrder(server.plugins);
      const named = (name: string) => ordered.filter((d) => d.name === name);
      const [cache] = named('cache');
      const forwards = named('forward');
      const forwarder = forwards.length
        ? parts.forwarder(
            forwards.map((d) =>
              checkedAt(d, (at) => validateWith(forwardSchema, forwardFromDirective(d), at)),
            ),
            cache
              ? checkedAt(cache, (at) => validateWith(cacheSchema, cacheFromDirective(cache), at))
              : validateWith(cacheSchema, {}, 'cache'),
          )
        : undefined;
      if (forwarder) forwarders.push(forwarder);
      const plugins: Plugin[] = [];
      let roundRobin = false;
      // In CoreDNS's order; a plugin written twice is one handler over all its directives.
      for (const name of new Set(ordered.map((d) => d.name))) {
        const ds = named(name);
        const d = ds[0]!;
        if (ds.length > 1 && ONCE.includes(name))
          throw directiveError(ds[1]!, `a second ${name} in this server block`);
        switch (name) {
          case 'kubernetes': {
            const k8s = parts.kubernetes;
            const ctx = (): AnswerContext => ({
              ...k8s(),
              ...(forwarder && { forward: forwarder }),
            });
            plugins.push(
              zonePlugin({ ctx, ...(fallthroughOf(d) && { fallthrough: fallthroughOf(d) }) }),
            );
            break;
          }
          case 'k8s_external': {
            const ext = parts.external;
            if (!ext) break;
            const ctx = (): AnswerContext => ({
              ...ext(),
              ...(forwarder && { forward: forwarder }),
            });
            const fallthrough = fallthroughOf(d);
            plugins.push(zonePlugin({ ctx, ...(fallthrough && { fallthrough }) }));
            break;
          }
          case 'file':
            for (const one of ds) sources.push(fileSource(one, server.zones, parts.warn));
            plugins.push(...sources.slice(-ds.length).map((x) => x.plugin));
            break;
          case 'hosts': {
            const source = await hostsSource(d, server.zones, parts.warn);
            sources.push(source);
            plugins.push(source.plugin);
            break;
          }
          case 'template':
            plugins.push(
              templatePlugin(
                ds.map((one) => templateFromDirective(one, server.zones)),
                parts.template,
              ),
            );
            break;
          case 'rewrite':
            plugins.push(rewriteFromDirectives(ds));
            break;
          case 'any':
            plugins.push(anyFromDirective(d));
            break;
          case 'autopath': {
            const { zones } = autopathFromDirective(d);
            const o = parts.autopath;
            if (o) plugins.push(autopathPlugin(zones.length ? { ...o, zones } : o));
            break;
          }
          case 'loop': {
            // Only a block that forwards can loop; elsewhere `loop` has nothing to probe.
            if (!forwarder) break;
            const detector = new LoopDetector(server.zones[0]!, Math.random, (loop) =>
              parts.loopFound?.(loop),
            );
            loops.push(detector);
            plugins.push(detector.plugin());
            break;
          }
          case 'loadbalance': {
            const lb = loadbalanceFromDirective(d);
            if (lb.policy === 'round_robin') roundRobin = true;
            else {
              const source = weightedSource(lb.weightFile, lb.reloadMs, parts.warn);
              sources.push(source);
              plugins.push(source.plugin);
            }
            break;
          }
        }
      }
      if (forwarder) plugins.push(forwardPlugin(() => forwarder));
      chains.push({ zones: server.zones, next: chainOf(plugins, SERVFAIL) });
      shuffles.push({ zones: server.zones, roundRobin });
    }
    return {
      chains,
      forwarders,
      loops,
      udpSize: bufsizeOfBlocks(
        servers.flatMap((s) => s.plugins.filter((d) => d.name === 'bufsize')),
      ),
      version: () => sources.reduce((sum, x) => sum + x.version(), 0),
      after: blockShuffle(shuffles, Math.random),
      close: closeAll,
    };
  } catch (error) {
    closeAll();
    throw error;
  }
}

/** A forwarder standing for every block's, for RA and loop detection (resolver.ts); a `loop`
 *  probe of ours that comes back marked is a loop found. */
export function anyForwarder(
  forwarders: readonly Forwarder[],
  loops: readonly LoopDetector[] = [],
): Forwarder | undefined {
  if (forwarders.length === 0) return undefined;
  return {
    handles: (name) => forwarders.some((f) => f.handles(name)),
    forward: (q, flags) => forwarders[0]!.forward(q, flags),
    isLoop: (id, q, mark) => {
      const looped = forwarders.some((f) => f.isLoop?.(id, q, mark) ?? false);
      if (looped) loops.forEach((l) => l.marked(q.name, q.type));
      return looped;
    },
  };
}

/** `fallthrough [ZONES...]` in a directive's block: undefined when absent. */
export function fallthroughOf(d: Directive): string[] | undefined {
  const f = d.block?.find((o) => o.name === 'fallthrough');
  return f ? f.args.map((z) => z.toLowerCase().replace(/\.$/, '')) : undefined;
}
