// CoreDNS's `rewrite` directive (docs/architecture.md §8.2: the Corefile is one way to write it).
// A directive is one rule: its arguments, or, with fewer than two, its block's lines read as
// continued arguments (`rewrite stop { name regex A B; answer name C D }`), as CoreDNS reads it.
// All the `rewrite` directives of a server block make one plugin, so that a matching `stop` rule
// stops the rules after it (CoreDNS: one rewrite handler per server block, rules in line order).
import { directiveError, type Directive } from '../corefile/corefile.ts';
import type { Plugin } from '../core/plugin.ts';
import { ruleFromArgs } from './rule-from-args.ts';
import { RuleError, type RewriteRule } from './rewrite-rule.ts';
import { rewritePlugin } from './rewrite-plugin.ts';

/** The plugin of a server block's `rewrite` directives, in the order written. */
export function rewriteFromDirectives(ds: readonly Directive[]): Plugin {
  return rewritePlugin(ds.map(ruleFromDirective));
}

/** The rule of one `rewrite` directive; a bad one is a CorefileError at the line at fault. */
export function ruleFromDirective(d: Directive): RewriteRule {
  const words = [...d.args];
  const lines = d.args.map(() => d.line);
  const block = d.block ?? [];
  if (words.length >= 2 && block.length > 0)
    throw directiveError(
      { ...block[0]!, name: 'rewrite' },
      'a rule is written either on the line or in a block, not both',
    );
  if (words.length < 2)
    for (const o of block)
      for (const word of [o.name, ...o.args]) {
        words.push(word);
        lines.push(o.line);
      }
  try {
    return ruleFromArgs(words);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    const line = (error.token !== undefined && lines[error.token]) || d.line;
    throw directiveError({ file: d.file, line, name: 'rewrite' }, error.message);
  }
}
