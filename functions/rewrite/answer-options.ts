// The response options of a `rewrite name` rule, as CoreDNS reads them after FROM TO:
// `answer auto`, `answer name FROM TO`, `answer value FROM TO`, repeated, the keyword `answer`
// optional after the first (CoreDNS rewrite docs, "Multiple Response Rewrites").
import { normalizeName } from './domain-name.ts';
import { regexMap } from './name-maps.ts';
import { compilePattern } from './regex-pattern.ts';
import { RuleError, type ResponseRule } from './rewrite-rule.ts';

export interface AnswerOptions {
  /** `answer auto`: the rule builds its own reverse rewrite. */
  auto: boolean;
  /** The explicit `answer name` and `answer value` rewrites, in the order written. */
  rules: ResponseRule[];
}

/** Reads `args` from index `at` to the end; `match` (the name rule's match type) words errors. */
export function answerOptions(match: string, args: readonly string[], at: number): AnswerOptions {
  if (args.length - at < 2) throw new RuleError(`invalid arguments for ${match} rule`, at);
  let auto = false;
  let nameRules = 0;
  const rules: ResponseRule[] = [];
  for (let i = at; i < args.length;) {
    if (i === at && args[i] !== 'answer')
      throw new RuleError(
        `exceeded the number of arguments for a non-answer rule argument for ${match} rule`,
        i,
      );
    if (args[i] === 'answer') i++;
    const kind = args[i];
    if (kind === undefined)
      throw new RuleError(`type missing for answer rule for ${match} rule`, i - 1);
    i++;
    if (kind === 'auto') {
      auto = true;
      continue;
    }
    if (kind !== 'name' && kind !== 'value')
      throw new RuleError(
        `invalid type ${JSON.stringify(kind)} for answer rule for ${match} rule`,
        i - 1,
      );
    const [from, to] = [args[i], args[i + 1]];
    if (from === undefined || to === undefined)
      throw new RuleError(`${kind} answer rule for ${match} rule: 2 arguments required`, i - 1);
    let pattern: RegExp;
    try {
      pattern = compilePattern(from, to, i);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuleError(`${kind} answer rule for ${match} rule: ${reason}`, i);
    }
    rules.push({ field: kind, map: regexMap(pattern, normalizeName(to)) });
    if (kind === 'name') nameRules++;
    i += 2;
  }
  if (auto && nameRules > 0)
    throw new RuleError('auto name answer rule cannot be combined with explicit name answer rules');
  return { auto, rules };
}
