// CoreDNS's `rewrite` as a plugin of the chain (docs/architecture.md §7): the rules are tried in
// order on the question; each that matches rewrites it, and a matching `stop` rule ends the
// trying. `next` answers the rewritten question; its answer comes back with the matched rules'
// response rules applied. The client's question is echoed as asked whatever was rewritten: the
// resolver copies it from the query (docs/architecture.md §6.3).
import type { Plugin } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { bareName, isDomainName, normalizeName } from './domain-name.ts';
import { rewriteResponse } from './response-rewrite.ts';
import type { ResponseRule, RewriteRule, RuleQuestion } from './rewrite-rule.ts';

export function rewritePlugin(rules: readonly RewriteRule[]): Plugin {
  return async (q, next) => {
    const asked = normalizeName(q.name);
    const question: RuleQuestion = { name: asked, type: q.type, class: q.class };
    const responses: ResponseRule[] = [];
    let matched = false;
    for (const rule of rules) {
      const back = rule.rewrite(question);
      if (back === undefined) continue;
      matched = true;
      // CoreDNS answers SERVFAIL when a rewrite makes an invalid name ("example..org.").
      if (!isDomainName(question.name)) return emptySections('SERVFAIL');
      responses.push(...back);
      if (rule.mode === 'stop') break;
    }
    if (!matched) return next(q);
    const name = question.name === asked ? q.name : bareName(question.name);
    const sections = await next({ ...q, name, type: question.type, class: question.class });
    return responses.length === 0 ? sections : rewriteResponse(sections, responses, asked, q.name);
  };
}
