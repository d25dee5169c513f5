// Go regular expressions (RE2 syntax, as CoreDNS's `template` plugin compiles `match` with Go's
// regexp) rewritten as JavaScript RegExps (in `u` mode, which matches by code point as Go does)
// where the two differ: `(?P<name>...)` named groups,
// leading `(?ims)` flags, `\A` `\z` `\Q...\E`, octal and `\x{...}` escapes, `\s` as RE2's ASCII
// space set, POSIX classes inside brackets, a leading `]` in a class. What RE2 rejects (back
// references, lookaround) and what JavaScript cannot say here (flags mid-pattern, `\p`, `\C`,
// ungreedy mode) is an error. Both engines pick the leftmost-first match, so groups agree; RE2
// runs in linear time and JavaScript backtracks: a pattern with nested repetition is the
// Corefile author's to avoid.

/** CoreDNS's limit on a pattern's length (plugin/template maxRegexpLen). */
export const MAX_REGEXP_LENGTH = 10000;

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
const SPACE = '\\t\\n\\f\\r ';

const hex = (code: number) => `\\u{${code.toString(16)}}`;

/** Compiles a Go regexp as JavaScript; throws an Error saying what is wrong with it. */
export function goRegExp(pattern: string): RegExp {
  if (pattern.length > MAX_REGEXP_LENGTH)
    throw new Error(`regex pattern too long: ${pattern.length} > ${MAX_REGEXP_LENGTH}`);
  const flags = /^\(\?([ims]+)\)/.exec(pattern);
  const body = flags ? pattern.slice(flags[0].length) : pattern;
  const source = translate(body);
  try {
    return new RegExp(source, `${flags?.[1] ?? ''}u`.replace(/(.)(?=.*\1)/g, ''));
  } catch (error) {
    throw new Error(`could not parse regex: ${pattern}, ${(error as Error).message}`);
  }
}

function translate(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const [text, used] = escape(p, i, inClass);
      out += text;
      i += used - 1;
    } else if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (posix) {
        const set = POSIX[posix[2]!];
        if (!set || posix[1]) throw new Error(`unsupported POSIX class ${posix[0]}`);
        out += set;
        i += posix[0].length - 1;
      } else if (c === ']') {
        out += ']';
        inClass = false;
      } else out += /[[{}()|/-]/.test(c) && c !== '-' ? `\\${c}` : c;
    } else if (c === '[') {
      inClass = true;
      out += '[';
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += `\\${p[++i]}`; // RE2: a leading ']' is a member
    } else if (c === '(' && p[i + 1] === '?') {
      const group = /^\(\?(P?<([A-Za-z0-9_]+)>|:)/.exec(p.slice(i));
      if (!group) throw new Error(`unsupported group syntax at "${p.slice(i, i + 6)}"`);
      out += group[2] ? `(?<${group[2]}>` : '(?:';
      i += group[0].length - 1;
    } else if (c === ']') {
      out += '\\]'; // RE2: literal outside a class; JavaScript's `u` mode wants it escaped
    } else if ('{}/'.includes(c)) {
      const repeat = c === '{' ? /^\{\d+(,\d*)?\}/.exec(p.slice(i)) : null;
      if (repeat) {
        out += repeat[0];
        i += repeat[0].length - 1;
      } else out += `\\${c}`; // RE2: a brace that is no repetition is literal
    } else out += c;
  }
  if (inClass) throw new Error('missing closing ]');
  return out;
}

/** The JavaScript for the escape at `p[i]` (a backslash) and how many characters it used. */
function escape(p: string, i: number, inClass: boolean): [string, number] {
  const next = p[i + 1];
  if (next === undefined) throw new Error('trailing backslash at end of expression');
  if (next === 'Q') {
    if (inClass) throw new Error('\\Q inside a character class is not supported');
    const end = p.indexOf('\\E', i + 2);
    const literal = p.slice(i + 2, end < 0 ? p.length : end);
    const text = [...literal].map((ch) => hex(ch.codePointAt(0)!)).join('');
    return [text, (end < 0 ? p.length : end + 2) - i];
  }
  if (next === 'x') {
    const braced = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(p.slice(i));
    const short = /^\\x([0-9A-Fa-f]{2})/.exec(p.slice(i));
    const m = braced ?? short;
    if (!m) throw new Error(`invalid escape sequence ${p.slice(i, i + 4)}`);
    return [hex(parseInt(m[1]!, 16)), m[0].length];
  }
  if (/[0-7]/.test(next)) {
    const m = /^\\([0-7]{1,3})/.exec(p.slice(i))!;
    if (next !== '0' && m[1]!.length === 1)
      throw new Error(`invalid escape sequence \\${next} (back references are not RE2)`);
    return [hex(parseInt(m[1]!, 8)), m[0].length];
  }
  switch (next) {
    case 'A':
      return [inClassError(inClass, next) ?? '(?<![\\s\\S])', 2];
    case 'z':
      return [inClassError(inClass, next) ?? '(?![\\s\\S])', 2];
    case 's':
      return [inClass ? SPACE : `[${SPACE}]`, 2];
    case 'S':
      if (inClass) throw new Error('\\S inside a character class is not supported');
      return [`[^${SPACE}]`, 2];
    case 'a':
      return ['\\x07', 2];
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'f':
    case 't':
    case 'n':
    case 'r':
    case 'v':
      return [`\\${next}`, 2];
    case 'b':
    case 'B':
      return [inClass ? (inClassError(true, next) ?? '') : `\\${next}`, 2];
  }
  if (/[!-/:-@[-`{-~]/.test(next)) return [hex(next.codePointAt(0)!), 2]; // escaped punctuation
  throw new Error(`invalid or unsupported escape sequence \\${next}`);
}

function inClassError(inClass: boolean, letter: string): undefined {
  if (inClass) throw new Error(`\\${letter} inside a character class is not valid`);
  return undefined;
}
