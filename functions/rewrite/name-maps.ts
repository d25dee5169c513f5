// The string rewriters of CoreDNS's rewrite rules: a regular expression with `{n}` group
// references, a name and its subdomains remapped, a suffix swapped. Each maps a lowercase fully
// qualified name and leaves a name it does not apply to unchanged.
import type { NameMap } from './rewrite-rule.ts';

/** `template` with each `{n}` replaced by group n of `groups` (an unmatched group is empty). */
export function substitute(template: string, groups: RegExpExecArray): string {
  let out = template;
  for (let i = 0; i < groups.length; i++) {
    const value = groups[i] ?? '';
    out = out.replaceAll(`{${i}}`, () => value);
  }
  return out;
}

/** A name the pattern matches (anywhere in it) becomes the whole of `template`, groups filled in. */
export function regexMap(pattern: RegExp, template: string): NameMap {
  return (name) => {
    const groups = pattern.exec(name);
    return groups ? substitute(template, groups) : name;
  };
}

/** `from` becomes `to`, and a name below `from` the same name below `to` (`answer auto`). */
export function remapMap(from: string, to: string): NameMap {
  return (name) => {
    if (name === from) return to;
    const cut = name.length - from.length;
    return cut > 0 && name[cut - 1] === '.' && name.endsWith(from) ? name.slice(0, cut) + to : name;
  };
}

/** A name ending in `suffix` ends in `replacement` instead (a `suffix` rule's `answer auto`). */
export function suffixMap(suffix: string, replacement: string): NameMap {
  return (name) =>
    name.endsWith(suffix) ? name.slice(0, name.length - suffix.length) + replacement : name;
}
