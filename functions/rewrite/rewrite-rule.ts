// One rule of CoreDNS's `rewrite` plugin: what it sees of the question, what it hands back for
// the response, and the error its parsers throw.

/**
 * The question as CoreDNS's rules see it: the name lowercase and fully qualified ('.' is the
 * root), type and class as dns-packet spells them ('A', 'IN').
 */
export interface RuleQuestion {
  name: string;
  type: string;
  class: string;
}

/** Maps a name (lowercase, fully qualified); a name it does not apply to comes back unchanged. */
export type NameMap = (name: string) => string;

/** A rewrite of the response: owner names (`name`), or names inside rdata (`value`). */
export interface ResponseRule {
  field: 'name' | 'value';
  map: NameMap;
}

/** CoreDNS: after a matching `stop` rule no further rule is tried; after `continue`, the next is. */
export type Mode = 'stop' | 'continue';

export interface RewriteRule {
  readonly mode: Mode;
  /**
   * Rewrites `q` in place when the rule matches, and returns the response rules that undo it on
   * the way back (possibly none); undefined when it does not match.
   */
  rewrite(q: RuleQuestion): readonly ResponseRule[] | undefined;
}

/** A rule that cannot be built; `token` is the index of the argument at fault, when one is. */
export class RuleError extends Error {
  override name = 'RuleError';
  constructor(
    message: string,
    readonly token?: number,
  ) {
    super(message);
  }
}
