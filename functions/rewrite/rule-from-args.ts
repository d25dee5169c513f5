// One rewrite rule from its words, as CoreDNS's rewrite setup reads them:
// `[continue|stop] FIELD ...` (stop when neither is written). edge-dns has the `name`, `type` and
// `class` fields; `edns0`, `ttl`, `cname` and `rcode` are refused by name.
import { nameRule } from './name-rule.ts';
import { classRule, typeRule } from './question-field-rule.ts';
import { RuleError, type Mode, type RewriteRule } from './rewrite-rule.ts';

const NOT_SUPPORTED = ['edns0', 'ttl', 'cname', 'rcode'];

export function ruleFromArgs(args: readonly string[]): RewriteRule {
  const first = args[0]?.toLowerCase();
  if (first === undefined) throw new RuleError('no rule type specified for rewrite');
  let mode: Mode = 'stop';
  let at = 1; // the first argument after FIELD
  if (first === 'continue' || first === 'stop') {
    if (args.length < 2) throw new RuleError(`${first} rule must begin with a rule type`, 0);
    mode = first;
    at = 2;
  }
  const field = args[at - 1]!.toLowerCase();
  switch (field) {
    case 'answer':
      throw new RuleError('response rewrites must begin with a name rule', at - 1);
    case 'name':
      return nameRule(mode, args, at);
    case 'type':
    case 'class':
      if (args.length - at !== 2)
        throw new RuleError(`${field} rules must have exactly two arguments`, at - 1);
      return (field === 'type' ? typeRule : classRule)(mode, args[at]!, args[at + 1]!, at);
    default:
      if (NOT_SUPPORTED.includes(field))
        throw new RuleError(
          `${field} rules are not supported by edge-dns (name, type and class are)`,
          at - 1,
        );
      throw new RuleError(`invalid rule type ${JSON.stringify(args[at - 1])}`, at - 1);
  }
}
