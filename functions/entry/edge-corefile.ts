// The edge's Corefile subset (docs/corefile.md "At the edge"): `template`, `rewrite`,
// `loadbalance round_robin` and `forward` to DoH upstreams, from EDGE_DNS_COREFILE (the text) or a
// Corefile bundled at build time (scripts/build.mjs, EDGE_DNS_COREFILE_FILE). Parsed by the
// container's parser (functions/corefile) and checked by each plugin's own setup at init, so a
// mistake stops the instance naming the variable or file and the line, as edge-config.ts does.
// The plugins are assembled per request path in edge-corefile-blocks.ts.
import { CorefileError, directiveError, type Directive } from '../corefile/corefile.ts';
import { memoryCorefileIo } from '../corefile/memory-io.ts';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { inPluginOrder, PLUGIN_ORDER } from '../corefile/plugin-order.ts';
import { zoneArg } from '../corefile/zone-args.ts';
import { loadbalanceFromDirective } from '../loadbalance/loadbalance-corefile.ts';
import { rewriteFromDirectives } from '../rewrite/rewrite-corefile.ts';
import type { Plugin } from '../core/plugin.ts';
import { templateFromDirective, type TemplateOptions } from '../template/template-corefile.ts';
import { dohUrl, Invalid } from './edge-env-checks.ts';

/** Set by scripts/build.mjs when EDGE_DNS_COREFILE_FILE names a Corefile at build time. */
declare const EDGE_DNS_BUNDLED_COREFILE: { file: string; text: string } | undefined;

/** The plugins the edge serves from a Corefile; any other is refused by name. */
export const EDGE_COREFILE_PLUGINS = ['rewrite', 'template', 'loadbalance', 'forward'] as const;

export interface EdgeForward {
  /** Canonical zone ('' the root): names under it go to `upstreams`. */
  zone: string;
  upstreams: string[];
  policy: 'random' | 'round_robin' | 'sequential';
}

export interface EdgeCorefileBlock {
  zones: string[];
  /** `rewrite`, in the block's CoreDNS order (before `template`). */
  rewrite?: Plugin;
  templates: TemplateOptions[];
}

export interface EdgeCorefile {
  /** Where it came from: the variable's name or the bundled file's path. */
  source: string;
  blocks: EdgeCorefileBlock[];
  forwards: EdgeForward[];
  /** Some block has `loadbalance` (round_robin): answers are shuffled (CoreDNS's loadbalance). */
  roundRobin: boolean;
  /** What templates' `env` reads: the variables (bindings) that are text. */
  env: Readonly<Record<string, string>>;
}

/**
 * The edge Corefile from the variable or the bundle, or undefined when there is none. Problems go
 * to `problem`, each naming the variable or file and the line (`FILE:LINE - Error during parsing`).
 */
export function edgeCorefileOf(
  env: Record<string, unknown>,
  problem: (message: string) => void,
): EdgeCorefile | undefined {
  const variable = typeof env.EDGE_DNS_COREFILE === 'string' ? env.EDGE_DNS_COREFILE : undefined;
  const bundled =
    typeof EDGE_DNS_BUNDLED_COREFILE === 'object' ? EDGE_DNS_BUNDLED_COREFILE : undefined;
  if (variable !== undefined && variable.trim() !== '' && bundled) {
    problem(
      `environment: EDGE_DNS_COREFILE: this build bundles ${bundled.file} already: set one of the two`,
    );
    return undefined;
  }
  const source =
    variable !== undefined && variable.trim() !== ''
      ? { file: 'EDGE_DNS_COREFILE', text: variable }
      : bundled;
  if (!source) return undefined;
  const strings = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  try {
    return readEdgeCorefile(source.text, source.file, strings);
  } catch (e) {
    problem(e instanceof CorefileError ? e.message : `${source.file}: ${String(e)}`);
    return undefined;
  }
}

/** Parses and checks `text` (named `file` in errors); throws CorefileError. */
export function readEdgeCorefile(
  text: string,
  file: string,
  env: Readonly<Record<string, string>>,
): EdgeCorefile {
  // No files at the edge: an `import` of a file is "no such file" (snippets still work). Every
  // CoreDNS plugin passes the parser, so that one outside the subset is refused below by name.
  const corefile = parseCorefile(text, file, {
    ...memoryCorefileIo({}),
    env,
    supported: new Set(PLUGIN_ORDER),
  });
  const out: EdgeCorefile = { source: file, blocks: [], forwards: [], roundRobin: false, env };
  const seen = new Map<string, number>();
  for (const server of corefile.servers) {
    const zones = [...new Set(server.keys.map((k) => k.zone))];
    // One DoH endpoint: every block serves the same "port"; a zone twice would be ambiguous.
    for (const zone of zones) {
      if (seen.has(zone))
        throw new CorefileError(
          server.file,
          server.line,
          `zone ${zone || '.'} is served by the block at line ${seen.get(zone)} already (the edge has one endpoint: ports do not tell blocks apart)`,
        );
      seen.set(zone, server.line);
    }
    const block: EdgeCorefileBlock = { zones, templates: [] };
    const rewrites: Directive[] = [];
    for (const d of inPluginOrder(server.directives)) {
      switch (d.name) {
        case 'rewrite':
          rewrites.push(d);
          break;
        case 'template':
          block.templates.push(templateFromDirective(d, zones));
          break;
        case 'loadbalance':
          if (loadbalanceFromDirective(d).policy !== 'round_robin')
            throw directiveError(
              d,
              'weighted is not served at the edge (no weight file): use round_robin',
            );
          out.roundRobin = true;
          break;
        case 'forward':
          out.forwards.push(forwardOf(d, new Set(out.forwards.map((f) => f.zone))));
          break;
        default:
          throw directiveError(
            d,
            `plugin '${d.name}' is not served at the edge (it serves ${EDGE_COREFILE_PLUGINS.join(', ')})`,
          );
      }
    }
    if (rewrites.length) block.rewrite = rewriteFromDirectives(rewrites);
    out.blocks.push(block);
  }
  return out;
}

/** `forward FROM TO... [{ policy P }]`: TO are DoH URLs, as EDGE_DNS_FORWARD's. */
function forwardOf(d: Directive, taken: Set<string>): EdgeForward {
  const [from, ...to] = d.args;
  if (from === undefined || to.length === 0) throw directiveError(d, 'expected FROM TO...');
  const [zone] = zoneArg(d, from);
  if (taken.has(zone!)) throw directiveError(d, `a second forward for ${from}`);
  const upstreams = to.map((u) => {
    const url = dohUrl(u);
    if (url instanceof Invalid)
      throw directiveError(d, `${u}: the edge forwards over DoH only: ${url.message}`);
    return url;
  });
  let policy: EdgeForward['policy'] = 'random';
  for (const o of d.block ?? []) {
    const [value] = o.args;
    if (o.name !== 'policy')
      throw directiveError(o, `option not served at the edge (it serves policy)`);
    if (value !== 'random' && value !== 'round_robin' && value !== 'sequential')
      throw directiveError(o, 'expected random, round_robin or sequential');
    policy = value;
  }
  return { zone: zone!, upstreams, policy };
}
