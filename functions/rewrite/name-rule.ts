// `rewrite [continue|stop] name [exact|prefix|suffix|substring|regex] FROM TO [answer ...]`, as
// CoreDNS's rewrite plugin matches and rewrites the question name (its docs, "Name Field
// Rewrites"): FROM and TO are lowercased and fully qualified (a regex FROM is kept as written),
// matching is against the lowercase question name, and a regex TO replaces the whole name.
import { answerOptions } from './answer-options.ts';
import { normalizeName } from './domain-name.ts';
import { remapMap, substitute, suffixMap } from './name-maps.ts';
import { compilePattern } from './regex-pattern.ts';
import {
  RuleError,
  type Mode,
  type NameMap,
  type ResponseRule,
  type RewriteRule,
} from './rewrite-rule.ts';

const MATCH_TYPES = ['exact', 'prefix', 'suffix', 'substring', 'regex'];

/** The rule of `args` from index `at` (just after `name`). */
export function nameRule(mode: Mode, args: readonly string[], at: number): RewriteRule {
  const count = args.length - at;
  if (count < 2) throw new RuleError('too few arguments for a name rule', args.length - 1);
  const match = count === 2 ? 'exact' : args[at]!.toLowerCase();
  const [rawFrom, rawTo] =
    count === 2 ? [args[at]!, args[at + 1]!] : [args[at + 1]!, args[at + 2]!];
  const [from, to] =
    match === 'regex' ? [rawFrom, rawTo] : [normalizeName(rawFrom), normalizeName(rawTo)];
  const options = count > 3 ? answerOptions(match, args, at + 3) : { auto: false, rules: [] };
  const answers = options.rules;
  const token = count === 2 ? at : at + 1;
  switch (match) {
    case 'exact':
      // CoreDNS checks an exact rule's pair as a pattern too (TO compiled, FROM's references).
      compilePattern(to, from, token);
      // An exact rewrite's answer is always reversed, `answer auto` or not (CoreDNS docs).
      return rule(mode, true, answers, (name) => (name === from ? to : undefined));
    case 'prefix':
      return rule(mode, options.auto, answers, (name) =>
        name.startsWith(from) ? to + name.slice(from.length) : undefined,
      );
    case 'suffix': {
      // Auto for a suffix: the suffixes swapped, on owner names and on values.
      const back = suffixMap(to, from);
      const reverse: ResponseRule[] = options.auto
        ? [
            { field: 'name', map: back },
            { field: 'value', map: back },
          ]
        : [];
      return rule(mode, false, [...reverse, ...answers], (name) =>
        name.endsWith(from) ? name.slice(0, name.length - from.length) + to : undefined,
      );
    }
    case 'substring':
      return rule(mode, options.auto, answers, (name) =>
        name.includes(from) ? name.replaceAll(from, () => to) : undefined,
      );
    case 'regex': {
      const pattern = compilePattern(from, to, token);
      const template = normalizeName(to);
      return rule(mode, options.auto, answers, (name) => {
        const groups = pattern.exec(name);
        return groups ? substitute(template, groups) : undefined;
      });
    }
    default:
      throw new RuleError(
        `name rule supports only ${MATCH_TYPES.slice(0, -1).join(', ')}, and regex name matching, received: ${match}`,
        at,
      );
  }
}

/**
 * A name rule: `rewrite` gives the new name, or undefined when the rule does not match. With
 * `auto`, the response rules begin with the reverse of this very rewrite: the new name (and the
 * names below it) back to the name as this rule saw it, on owner names and on values.
 */
function rule(
  mode: Mode,
  auto: boolean,
  answers: readonly ResponseRule[],
  rewrite: (name: string) => string | undefined,
): RewriteRule {
  return {
    mode,
    rewrite(q) {
      const seen = q.name;
      const name = rewrite(seen);
      if (name === undefined) return undefined;
      q.name = name;
      if (!auto) return answers;
      const back: NameMap = remapMap(name, seen);
      return [{ field: 'name', map: back }, { field: 'value', map: back }, ...answers];
    },
  };
}
