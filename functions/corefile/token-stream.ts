// The tokens the parser reads, imports spliced in where they stand, as CoreDNS's caddyfile parser
// splices an imported file's or snippet's tokens in place of `import ARG`. Each import is a frame
// on a stack, read to its end before the tokens after the import; a glob's files are segments of
// one frame, read in turn. The frames open at a moment are the chain of imports being read:
// importing what is already in that chain is a cycle. Caps on expansions and tokens bound what a
// snippet imported many times over can grow to (CoreDNS caps expansions too).
import { errorAt, isBrace, type Token } from './token.ts';

/** Tokens from one place: a file (`id` its path) or a snippet (`id` its `(name)`). */
export interface Segment {
  id: string;
  tokens: Token[];
}

interface Frame {
  segments: Segment[];
  segment: number;
  at: number;
}

export const MAX_IMPORTS = 10_000;
export const MAX_TOKENS = 1_000_000;

export class TokenStream {
  #frames: Frame[];
  #imports = 0;
  #read = 0;

  constructor(root: Segment) {
    this.#frames = [{ segments: [root], segment: 0, at: 0 }];
  }

  /** The next token, left in place. */
  peek(): Token | undefined {
    for (let f = this.#frames.length - 1; f >= 0; f--) {
      const frame = this.#frames[f]!;
      for (let s = frame.segment; s < frame.segments.length; s++) {
        const at = s === frame.segment ? frame.at : 0;
        const token = frame.segments[s]!.tokens[at];
        if (token) return at === 0 && f > 0 ? { ...token, startsLine: true } : token;
      }
    }
    return undefined;
  }

  next(): Token | undefined {
    for (;;) {
      const frame = this.#frames[this.#frames.length - 1];
      if (!frame) return undefined;
      const segment = frame.segments[frame.segment];
      const token = segment?.tokens[frame.at];
      if (token) {
        if (++this.#read > MAX_TOKENS)
          throw errorAt(token, `the Corefile and its imports hold more than ${MAX_TOKENS} tokens`);
        // What an import puts in place starts a line of its own.
        return frame.at++ === 0 && this.#frames.length > 1 ? { ...token, startsLine: true } : token;
      }
      if (segment) {
        frame.segment++;
        frame.at = 0;
      } else if (this.#frames.length > 1) this.#frames.pop();
      else return undefined;
    }
  }

  /** The words that follow on the current line, up to a brace (left in place). */
  restOfLine(): Token[] {
    const words: Token[] = [];
    for (let t = this.peek(); t && !t.startsLine && !isBrace(t, '{') && !isBrace(t, '}');) {
      words.push(this.next()!);
      t = this.peek();
    }
    return words;
  }

  /** Reads `segments` next, in order; `at` is the import, where a cycle or a cap is reported. */
  splice(segments: Segment[], at: Token): void {
    const chain = this.#frames.map((f) => f.segments[f.segment]?.id ?? '');
    for (const s of segments)
      if (chain.includes(s.id))
        throw errorAt(
          at,
          `import cycle: ${[...chain.slice(chain.indexOf(s.id)), s.id].join(' -> ')}`,
        );
    if (++this.#imports > MAX_IMPORTS)
      throw errorAt(at, `more than ${MAX_IMPORTS} imports expanded`);
    if (segments.length > 0) this.#frames.push({ segments, segment: 0, at: 0 });
  }
}
