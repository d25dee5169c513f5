// The regular expressions of `rewrite name regex` and of `answer name|value`, checked as CoreDNS
// checks them: at most 10,000 characters, compilable, and TO using no more `{n}` references than
// FROM has groups. CoreDNS compiles Go (RE2) syntax; JavaScript's is a superset for what names
// need, with two Go spellings translated: `(?P<name>` groups, and leading `(?i)`-style flags.
import { RuleError } from './rewrite-rule.ts';

const MAX_PATTERN = 10_000;

/** The compiled FROM pattern, or a RuleError worded as CoreDNS's. */
export function compilePattern(from: string, to: string, token?: number): RegExp {
  if (from.length > MAX_PATTERN)
    throw new RuleError(`regex pattern too long: ${from.length} > ${MAX_PATTERN}`, token);
  let pattern: RegExp;
  try {
    pattern = goRegExp(from);
  } catch {
    throw new RuleError(`invalid regex matching pattern: ${from}`, token);
  }
  if (referencesIn(to) > groupsIn(pattern))
    throw new RuleError(
      `the rewrite regex pattern (${to}) uses more subexpressions than its corresponding matching regex pattern (${from})`,
      token,
    );
  return pattern;
}

function goRegExp(source: string): RegExp {
  const flags = /^\(\?([ims]+)\)/.exec(source);
  const body = (flags ? source.slice(flags[0].length) : source).replaceAll('(?P<', '(?<');
  return new RegExp(body, flags ? [...new Set(flags[1])].join('') : '');
}

/** How many of `{0}`..`{100}` occur in `to` (CoreDNS's count, not the highest index). */
function referencesIn(to: string): number {
  let n = 0;
  for (let i = 0; i <= 100; i++) if (to.includes(`{${i}}`)) n++;
  return n;
}

function groupsIn(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`, pattern.flags).exec('')?.length ?? 1) - 1;
}
