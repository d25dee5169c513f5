// `import NAME|PATH|GLOB`, where a server block, a directive or a sub-directive may stand: a
// snippet declared by that name, else files, whose tokens take the import's place (CoreDNS's
// caddyfile import). A path is relative to the importing file's directory. A glob matching
// nothing imports nothing (CoreDNS only warns); a plain path missing is an error. CoreDNS's import
// takes exactly one argument: it has no `{args[N]}` placeholders for snippets.
import type { CorefileIo } from './corefile.ts';
import type { Env } from './env-substitution.ts';
import { globProblem, isGlob } from './glob-pattern.ts';
import { importPath } from './import-path.ts';
import { lexFile } from './lexer.ts';
import type { Snippets } from './snippets.ts';
import type { Segment, TokenStream } from './token-stream.ts';
import { errorAt, isBrace, type Token } from './token.ts';

export class ImportStatement {
  /** Every file read, in the order read: what a reload watches. */
  readonly files: string[] = [];
  #io: CorefileIo;
  #env: Env;
  #snippets: Snippets;

  constructor(io: CorefileIo, env: Env, snippets: Snippets) {
    this.#io = io;
    this.#env = env;
    this.#snippets = snippets;
  }

  /** A file's tokens; it joins `files`. */
  lex(text: string, file: string): Segment {
    if (!this.files.includes(file)) this.files.push(file);
    return { id: file, tokens: lexFile(text, file, this.#env) };
  }

  /** `at` is the `import` just read: reads its argument and splices in what it names. */
  expand(at: Token, stream: TokenStream): void {
    const args = stream.restOfLine();
    if (isBrace(stream.peek(), '{') && !stream.peek()!.startsLine)
      throw errorAt(at, `unexpected '{' after import: an import is one line`);
    const [arg] = args;
    if (arg === undefined) throw errorAt(at, 'import: expected a snippet name, a file or a glob');
    if (args.length > 1)
      throw errorAt(
        at,
        `import takes one argument (a snippet name, a file or a glob), not ${args.length}: CoreDNS's import passes no arguments to snippets`,
      );
    const name = arg.text;
    if (name === '') throw errorAt(arg, 'import: the path is empty');
    const snippet = this.#snippets.segment(name);
    stream.splice(snippet ? [snippet] : this.#files(arg), at);
  }

  #files(arg: Token): Segment[] {
    const path = importPath(arg.file, arg.text);
    if (!isGlob(path)) {
      const text = this.#read(arg, path);
      if (text === undefined)
        throw errorAt(
          arg,
          `import: no file or snippet named ${arg.text}${path === arg.text ? '' : ` (no file ${path})`}`,
        );
      return [this.lex(text, path)];
    }
    const problem = globProblem(path);
    if (problem) throw errorAt(arg, problem);
    let matches: string[];
    try {
      matches = [...this.#io.glob(path)].sort();
    } catch (e) {
      throw errorAt(arg, `import: cannot list ${path}: ${(e as Error)?.message ?? e}`);
    }
    return matches.map((file) => {
      const text = this.#read(arg, file);
      if (text === undefined) throw errorAt(arg, `import: ${file} matched ${path} but is gone`);
      return this.lex(text, file);
    });
  }

  #read(arg: Token, path: string): string | undefined {
    try {
      return this.#io.read(path);
    } catch (e) {
      throw errorAt(arg, `import: cannot read ${path}: ${(e as Error)?.message ?? e}`);
    }
  }
}
