// CoreDNS's `template` plugin at query time (plugin/template ServeDNS), over every `template`
// directive of a server block, in order:
// - a name outside all their zones goes to `next`;
// - a template whose zone, class or type does not fit is passed over; one that fits but whose
//   regexes all miss passes on where its `fallthrough` covers the name, else answers SERVFAIL;
// - the first that matches answers: rcode SERVFAIL alone, or its rcode with the rendered answer,
//   authority and additional records, authoritative. A template that fails to render, or renders
//   no valid record, answers SERVFAIL and is reported (coredns_template_*_failures_total);
// - a CNAME answered to an A or AAAA question is followed through `upstream` when given;
// - when every template passed over, the query goes to `next`.
import type { Answer } from 'dns-packet';
import type { Next, Plugin, PluginQuery } from '../core/plugin.ts';
import { canonicalName } from '../core/record.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import { isInZone } from '../core/zone.ts';
import { fallsThrough } from '../core/zone-plugin.ts';
import { execute } from './go-template-eval.ts';
import { goFunctions } from './go-template-functions.ts';
import { parseRrLine } from './rr-line.ts';
import type { RrTemplate, TemplateOptions } from './template-corefile.ts';
import { templateData } from './template-data.ts';

/** Labels of coredns_template_matches_total (the entry adds `server` and `view`). */
export interface TemplateMatch {
  /** The matched zone, fully qualified ('.' the root), as CoreDNS labels it. */
  zone: string;
  class: string;
  type: string;
}

/** A failure at query time: kind 'template' (rendering) or 'rr' (the rendered record). */
export interface TemplateFailure extends TemplateMatch {
  kind: 'template' | 'rr';
  section: RrTemplate['section'];
  template: string;
  /** Where the template is written, and what went wrong (the rendered line for 'rr'). */
  file: string;
  line: number;
  error: string;
}

export interface TemplatePluginOptions {
  onMatch?: (m: TemplateMatch) => void;
  onFailure?: (f: TemplateFailure) => void;
  /** Resolves a CNAME target through the whole server (CoreDNS's upstream); absent: not followed. */
  upstream?: Next;
  /** What `env` reads. */
  env?: Readonly<Record<string, string>>;
  /** `.Meta "name"` (CoreDNS's metadata plugin); absent: ''. */
  meta?: (q: PluginQuery, name: string) => string;
}

const UPSTREAM_DEPTH = Symbol('template upstream depth');
/** CNAME hops followed through upstream before giving up (docs/architecture.md §6.5: 8). */
const MAX_DEPTH = 8;

const fqdn = (name: string) => (name === '' ? '.' : `${name}.`);

export function templatePlugin(
  templates: readonly TemplateOptions[],
  o: TemplatePluginOptions = {},
): Plugin {
  const zones = templates.flatMap((t) => t.zones);
  const functions = goFunctions(o.env);
  return async (q, next) => {
    const name = canonicalName(q.name);
    if (!zones.some((z) => isInZone(name, z))) return next(q);
    for (const t of templates) {
      const zone = longest(t.zones, name);
      if (zone === undefined) continue;
      if (!fits(t.class, q.class) || !fits(t.type, q.type)) continue;
      let hit: { pattern: string; match: RegExpExecArray } | undefined;
      for (const r of t.regexes) {
        const match = r.regex.exec(fqdn(name));
        if (match) {
          hit = { pattern: r.pattern, match };
          break;
        }
      }
      if (!hit) {
        if (fallsThrough(t.fallthrough, name)) continue;
        return emptySections('SERVFAIL');
      }
      const labels = {
        zone: fqdn(zone),
        class: q.class === 'ANY' ? t.class : q.class,
        type: q.type === 'ANY' ? t.type : q.type,
      };
      o.onMatch?.(labels);
      if (t.rcode === 'SERVFAIL') return emptySections('SERVFAIL');
      const data = templateData({
        ...labels,
        zone,
        asked: q.name,
        pattern: hit.pattern,
        match: hit.match,
        qclass: q.class,
        qtype: q.type,
        remote: q.remote?.address ?? '',
        meta: o.meta && ((n) => o.meta!(q, n)),
      });
      const render = (rr: RrTemplate): Answer | undefined => {
        const failed = (kind: 'template' | 'rr', error: string) => {
          o.onFailure?.({
            ...labels,
            kind,
            section: rr.section,
            template: rr.source,
            file: rr.file,
            line: rr.line,
            error,
          });
          return undefined;
        };
        let text: string;
        try {
          text = execute(rr.parsed, data, functions);
        } catch (error) {
          return failed('template', (error as Error).message);
        }
        try {
          return parseRrLine(text);
        } catch (error) {
          return failed('rr', `${(error as Error).message}: ${JSON.stringify(text)}`);
        }
      };
      const out: Sections = {
        ...emptySections(t.rcode, true),
        ...(t.readsClient && { volatile: true }),
      };
      for (const [section, into] of [
        [t.answer, out.answers],
        [t.additional, out.additionals],
        [t.authority, out.authorities],
      ] as const) {
        for (const rr of section) {
          const record = render(rr);
          if (!record) return emptySections('SERVFAIL');
          into.push(record);
          if (section === t.answer) into.push(...(await follow(o.upstream, q, record)));
        }
      }
      return out;
    }
    return next(q);
  };
}

/** The records `upstream` answers for a CNAME's target, when the question is A or AAAA. */
async function follow(upstream: Next | undefined, q: PluginQuery, rr: Answer): Promise<Answer[]> {
  const depth = ((q as unknown as Record<symbol, number>)[UPSTREAM_DEPTH] ?? 0) + 1;
  if (
    !upstream ||
    rr.type !== 'CNAME' ||
    (q.type !== 'A' && q.type !== 'AAAA') ||
    depth > MAX_DEPTH
  )
    return [];
  const asked = { ...q, name: rr.data, [UPSTREAM_DEPTH]: depth };
  return (await upstream(asked)).answers;
}

function fits(wanted: string, asked: string): boolean {
  return wanted === 'ANY' || asked === 'ANY' || wanted === asked;
}

function longest(zones: readonly string[], name: string): string | undefined {
  let best: string | undefined;
  for (const z of zones)
    if (isInZone(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}
