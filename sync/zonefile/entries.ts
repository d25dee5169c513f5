// A master file as entries (RFC 1035 §5.1): one entry per line, or per group of lines inside
// parentheses; `;` starts a comment; a quoted string may hold blanks, `;` and parentheses; `\X`
// and `\DDD` escape a character anywhere. Tokens keep their text as written (quotes and escapes
// included): what a token means depends on the field it fills.
import { fail } from './zone-file-error.ts';

export interface Token {
  /** The text as written: quotes and backslashes kept. */
  raw: string;
  line: number;
}

export interface Entry {
  /** The line the entry starts on. */
  line: number;
  /** The line starts with a blank: the owner is the previous one (RFC 1035 §5.1). */
  blankOwner: boolean;
  tokens: Token[];
}

const BLANK = new Set([' ', '\t', '\r']);

/** The entries of `text`, comment-only and empty lines left out. */
export function splitEntries(text: string, file: string): Entry[] {
  const out: Entry[] = [];
  let line = 1;
  let depth = 0;
  let openedAt = 0;
  let quotedAt = 0;
  let entry: Entry | undefined;
  let token: Token | undefined;
  const at = (n: number) => ({ file, line: n });
  const endToken = () => {
    if (token) entry?.tokens.push(token);
    token = undefined;
  };
  const startEntry = (blankOwner: boolean) => {
    if (depth === 0 && !entry) entry = { line, blankOwner, tokens: [] };
  };
  const endEntry = () => {
    if (entry && entry.tokens.length > 0) out.push(entry);
    entry = undefined;
  };
  const append = (s: string) => {
    startEntry(false);
    token ??= { raw: '', line };
    token.raw += s;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quotedAt) {
      if (c === '\n') fail(at(quotedAt), 'a quoted string is not closed on its line');
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined || next === '\n') fail(at(line), 'a backslash ends the line');
        append(c + next);
        i++;
        continue;
      }
      append(c);
      if (c === '"') quotedAt = 0;
      continue;
    }
    if (c === '\n') {
      endToken();
      line++;
      if (depth === 0) endEntry();
      continue;
    }
    if (BLANK.has(c)) {
      startEntry(true);
      endToken();
      continue;
    }
    if (c === ';') {
      endToken();
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === ')') {
      startEntry(false);
      endToken();
      if (c === '(') {
        if (depth > 0) fail(at(line), `'(' inside the '(' opened at line ${openedAt}`);
        depth = 1;
        openedAt = line;
      } else {
        if (depth === 0) fail(at(line), `')' without '('`);
        depth = 0;
      }
      continue;
    }
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined || next === '\n') fail(at(line), 'a backslash ends the line');
      append(c + next);
      i++;
      continue;
    }
    if (c === '"') quotedAt = line;
    append(c);
  }
  if (quotedAt) fail(at(quotedAt), 'a quoted string is not closed on its line');
  if (depth > 0) fail(at(openedAt), `'(' is not closed`);
  endToken();
  endEntry();
  return out;
}
