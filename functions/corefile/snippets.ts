// Snippets, `(name) { ... }` at the top level: tokens kept as written, replayed where `import
// name` stands (imports inside a snippet expand when it is replayed). A name is known from its
// declaration on, as in CoreDNS. Declaring a name twice is an error naming both places. Names in
// `reserved` (deployments such as node-local-dns, or AKS's "coredns-custom" files, keep some for
// their own Corefile) may be declared by the root Corefile only: an imported file may import
// them but not declare them.
import type { Segment } from './token-stream.ts';
import { errorAt, type Token } from './token.ts';

interface Snippet {
  tokens: Token[];
  at: Token;
}

export class Snippets {
  #declared = new Map<string, Snippet>();
  #reserved: ReadonlySet<string>;
  #root: string;

  constructor(rootFile: string, reserved: readonly string[] = []) {
    this.#root = rootFile;
    this.#reserved = new Set(reserved);
  }

  /** `at` is the `(name)` key. */
  declare(name: string, at: Token, tokens: Token[]): void {
    if (this.#reserved.has(name) && at.file !== this.#root)
      throw errorAt(
        at,
        `snippet (${name}) is reserved by ${this.#root}: ${at.file} may import it, not declare it`,
      );
    const before = this.#declared.get(name);
    if (before)
      throw errorAt(
        at,
        `snippet (${name}) is declared twice: at ${before.at.file}:${before.at.line} and at ${at.file}:${at.line}`,
      );
    this.#declared.set(name, { tokens, at });
  }

  /** The snippet as a segment to splice in, if `name` is declared. */
  segment(name: string): Segment | undefined {
    const s = this.#declared.get(name);
    return s && { id: `(${name})`, tokens: s.tokens };
  }
}
