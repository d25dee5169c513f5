// One word of a Corefile as CoreDNS's caddyfile lexer cuts it, with where it was written.
import { CorefileError } from './corefile.ts';

export interface Token {
  /** The word, quotes removed and environment references substituted. */
  text: string;
  /** Written in quotes: always a plain word, never a brace or the `import` keyword. */
  quoted: boolean;
  file: string;
  /** The line the token starts at (1-based). */
  line: number;
  /** The first token of its line, of its file, or of what an import put in its place. */
  startsLine: boolean;
}

/** `{` or `}` standing alone, outside quotes: a block's brace. */
export const isBrace = (t: Token | undefined, brace: '{' | '}'): boolean =>
  t !== undefined && !t.quoted && t.text === brace;

/** `import` where a directive or a server block may stand. */
export const isImport = (t: Token): boolean => !t.quoted && t.text === 'import';

export const errorAt = (t: Pick<Token, 'file' | 'line'>, reason: string): CorefileError =>
  new CorefileError(t.file, t.line, reason);

/** How a token reads in an error: its text in quotes, or what it stands for. */
export const shown = (t: Token | undefined): string =>
  t === undefined ? 'the end of the file' : `'${t.text}'`;
