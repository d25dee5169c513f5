// The lexer of Go's text/template, the subset CoreDNS's `template` answers are written in: text,
// `{{ }}` actions with `{{-` / `-}}` trimming the white space beside them, `{{/* comments */}}`,
// fields (`.Name`), `$`, identifiers and keywords, "strings", `raw strings`, 'c'haracters,
// numbers, `|`, parentheses. Positions are offsets into the template text, for error messages.
import { unquote } from './go-unquote.ts';

export type TokenKind =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'field'
  | 'dot'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'nil'
  | 'string'
  | 'char'
  | 'number'
  | 'pipe'
  | 'open'
  | 'close'
  | 'declare'
  | 'assign'
  | 'comma';

export interface Token {
  kind: TokenKind;
  /** text: the text after trimming; string/char: the value; field: the name; else as written. */
  value: string;
  /** Offset in the template of the token's first character. */
  pos: number;
}

/** A template that does not parse: the message says where (`NAME:LINE:COL`) and why. */
export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
}

const KEYWORDS = new Set('if else end range with define template block break continue'.split(' '));
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
const trimEnd = (s: string) => s.replace(/[ \t\r\n]+$/, '');
const trimStart = (s: string) => s.replace(/^[ \t\r\n]+/, '');

/** `NAME:LINE:COL` of an offset, as Go's template errors give it (COL counted from 0). */
export function where(name: string, text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return `${name}:${line}:${pos - before.lastIndexOf('\n') - 1}`;
}

export function lex(name: string, text: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, why: string): never => {
    throw new TemplateSyntaxError(`template: ${where(name, text, pos)}: ${why}`);
  };
  let at = 0;
  let trimNext = false;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    const end = open < 0 ? text.length : open;
    const trimLeft = open >= 0 && text[open + 2] === '-' && isSpace(text[open + 3]);
    let chunk = text.slice(at, end);
    if (trimNext) chunk = trimStart(chunk);
    if (trimLeft) chunk = trimEnd(chunk);
    if (chunk) tokens.push({ kind: 'text', value: chunk, pos: at });
    if (open < 0) break;
    at = open + (trimLeft ? 4 : 2);
    if (text.startsWith('/*', at)) {
      const close = text.indexOf('*/', at);
      if (close < 0) fail(open, 'unclosed comment');
      const rest = /^( -)?\}\}/.exec(text.slice(close + 2));
      if (!rest) fail(open, 'comment ends before closing delimiter');
      trimNext = rest![1] !== undefined;
      at = close + 2 + rest![0].length;
      continue;
    }
    tokens.push({ kind: 'left', value: '{{', pos: open });
    at = lexAction(text, at, tokens, fail);
    trimNext = tokens[tokens.length - 1]!.value === '-}}';
  }
  return tokens;
}

/** Tokens of one action from `at` to its `}}`; returns the offset after it. */
function lexAction(
  text: string,
  start: number,
  out: Token[],
  fail: (pos: number, why: string) => never,
): number {
  let at = start;
  let depth = 0;
  const push = (kind: TokenKind, value: string, pos: number) => out.push({ kind, value, pos });
  for (;;) {
    const c = text[at];
    if (c === undefined) return fail(start, 'unclosed action');
    if (isSpace(c) && text[at + 1] === '-' && text.startsWith('}}', at + 2)) {
      push('right', '-}}', at + 1);
      return at + 4;
    }
    if (text.startsWith('}}', at)) {
      if (depth > 0) fail(at, 'unclosed left paren');
      push('right', '}}', at);
      return at + 2;
    }
    const from = at;
    if (isSpace(c)) {
      while (isSpace(text[at])) at++;
      push('space', text.slice(from, at), from);
    } else if (c === '|' || c === ',' || c === '=') {
      push(c === '|' ? 'pipe' : c === ',' ? 'comma' : 'assign', c, at++);
    } else if (c === ':') {
      if (text[at + 1] !== '=') fail(at, 'expected :=');
      push('declare', ':=', at);
      at += 2;
    } else if (c === '(' || c === ')') {
      depth += c === '(' ? 1 : -1;
      if (depth < 0) fail(at, 'unexpected right paren');
      push(c === '(' ? 'open' : 'close', c, at++);
    } else if (c === '"' || c === '`' || c === "'") {
      const q = unquote(text, at, fail);
      push(c === "'" ? 'char' : 'string', q.value, at);
      at = q.end;
    } else if (c === '.' && !/[0-9]/.test(text[at + 1] ?? '')) {
      at++;
      while (isAlnum(text[at])) at++;
      if (at === from + 1) push('dot', '.', from);
      else push('field', text.slice(from + 1, at), from);
    } else if (c === '$') {
      at++;
      while (isAlnum(text[at])) at++;
      push('variable', text.slice(from, at), from);
    } else if (/[0-9+\-.]/.test(c)) {
      const m =
        /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bBoO][0-9_]+|([0-9_]*\.?[0-9_]*)([eE][+-]?[0-9_]+)?)/.exec(
          text.slice(at),
        );
      const number = m?.[0] ?? '';
      if (!/[0-9]/.test(number)) fail(at, `bad number syntax: "${text.slice(at, at + 2)}"`);
      at += number.length;
      if (isAlnum(text[at]) || text[at] === '.')
        fail(from, `bad number syntax: "${number}${text[at]}"`);
      push('number', number, from);
    } else if (isAlnum(c)) {
      while (isAlnum(text[at])) at++;
      const word = text.slice(from, at);
      const kind: TokenKind = KEYWORDS.has(word)
        ? 'keyword'
        : word === 'true' || word === 'false'
          ? 'bool'
          : word === 'nil'
            ? 'nil'
            : 'identifier';
      push(kind, word, from);
    } else {
      fail(at, `unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
}
