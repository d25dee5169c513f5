// The Corefile's words, cut as CoreDNS's caddyfile lexer cuts them: whitespace separates words
// (a '\r' is dropped, even inside a word), a newline ends a line, '#' starts a comment that runs
// to the end of the line (also in the middle of a word), and a word that starts with '"' runs to
// the next unescaped '"', newlines included. Inside quotes only '\"' is an escape: any other
// backslash stays as written. A leading byte order mark is skipped. There is no line
// continuation: CoreDNS reads a trailing '\' as a word.
import { substituteEnv, type Env } from './env-substitution.ts';
import { errorAt, type Token } from './token.ts';

/** Go's unicode.IsSpace: the characters that separate words. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** The tokens of one file, environment references substituted (CoreDNS does it word by word). */
export function lexFile(text: string, file: string, env: Env): Token[] {
  const tokens = lex(text, file);
  for (const t of tokens) t.text = substituteEnv(t.text, env);
  return tokens;
}

/** The tokens of one file as written. */
export function lex(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lastLine = 0; // the line the previous token ended on
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const push = (word: string, quoted: boolean, start: number) => {
    tokens.push({ text: word, quoted, file, line: start, startsLine: start > lastLine });
    lastLine = line;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
    } else if (SPACE.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"') {
      const start = line;
      let word = '';
      for (i++; ; i++) {
        const c = text[i];
        if (c === undefined)
          throw errorAt({ file, line: start }, 'unterminated quoted string: expected a closing "');
        if (c === '"') break;
        if (c === '\\' && i + 1 < text.length) {
          const escaped = text[++i]!;
          word += escaped === '"' ? '"' : `\\${escaped}`;
          if (escaped === '\n') line++;
          continue;
        }
        if (c === '\n') line++;
        word += c;
      }
      i++;
      push(word, true, start);
    } else {
      let word = '';
      for (; i < text.length; i++) {
        const c = text[i]!;
        if (c === '\r') continue;
        if (c === '#' || SPACE.test(c)) break;
        word += c;
      }
      push(word, false, line);
    }
  }
  return tokens;
}
