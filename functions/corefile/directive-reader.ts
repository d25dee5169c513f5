// A server block's body: one directive per line, `name arg...`, optionally ending in `{` that
// opens its block of sub-directives, one per line, closed by `}`. One level, as CoreDNS's plugins
// read their blocks: a block inside a plugin's block is an error. `import` may stand where a
// directive or a sub-directive stands. Leniencies beyond CoreDNS: a `}` closes its block wherever
// it stands as a word (`errors }`), and words after a `{` on its line start the first
// sub-directive, as CoreDNS's plugins read them.
import type { Directive } from './corefile.ts';
import type { ImportStatement } from './import-statement.ts';
import { checkPluginName, PLUGIN_ORDER } from './plugin-order.ts';
import type { TokenStream } from './token-stream.ts';
import { errorAt, isBrace, isImport, shown, type Token } from './token.ts';

export interface ReadContext {
  stream: TokenStream;
  imports: ImportStatement;
  supported: ReadonlySet<string>;
  /** Where the root file ends: where a block left open is reported. */
  end: Pick<Token, 'file' | 'line'>;
}

/** The directives up to the `}` closing `open`, or to the end for a block without braces. */
export function readDirectives(ctx: ReadContext, open: Token | undefined): Directive[] {
  const directives: Directive[] = [];
  for (;;) {
    const t = ctx.stream.next();
    if (!t) {
      if (open) throw unclosed(ctx, open);
      return directives;
    }
    if (isBrace(t, '}')) {
      if (!open) throw errorAt(t, `unexpected '}': no block is open`);
      endOfBlock(ctx.stream);
      return directives;
    }
    if (isBrace(t, '{'))
      throw errorAt(t, `unexpected '{': a block opens at the end of its directive's line`);
    if (isImport(t)) {
      ctx.imports.expand(t, ctx.stream);
      continue;
    }
    const d = directive(ctx, t);
    const next = ctx.stream.peek();
    const opens = isBrace(next, '{') && !next!.startsLine;
    checkName(ctx.supported, t, opens);
    if (opens) d.block = readSubDirectives(ctx, ctx.stream.next()!);
    directives.push(d);
  }
}

function readSubDirectives(ctx: ReadContext, open: Token): Directive[] {
  const subs: Directive[] = [];
  for (;;) {
    const t = ctx.stream.next();
    if (!t) throw unclosed(ctx, open);
    if (isBrace(t, '}')) {
      endOfBlock(ctx.stream);
      return subs;
    }
    if (isBrace(t, '{')) throw nested(t);
    if (isImport(t)) {
      ctx.imports.expand(t, ctx.stream);
      continue;
    }
    subs.push(directive(ctx, t));
    const next = ctx.stream.peek();
    if (isBrace(next, '{') && !next!.startsLine) throw nested(next!);
  }
}

/** `name` and the words after it on its line. */
function directive(ctx: ReadContext, name: Token): Directive {
  const args = ctx.stream.restOfLine().map((t) => t.text);
  return { name: name.text, args, file: name.file, line: name.line };
}

/** CoreDNS's name check, with a hint for a block that looks like a server block or a snippet. */
function checkName(supported: ReadonlySet<string>, t: Token, opens: boolean): void {
  const known = supported.has(t.text) || PLUGIN_ORDER.includes(t.text);
  if (!known && opens && /^\(.*\)$/.test(t.text))
    throw errorAt(t, `snippet ${t.text} must be declared at the top level, outside server blocks`);
  if (!known && opens && /[.:]/.test(t.text))
    throw errorAt(
      t,
      `unknown directive '${t.text}': a server block cannot stand inside another (is a '}' missing above?)`,
    );
  checkPluginName({ name: t.text, file: t.file, line: t.line }, supported);
}

/** After a closing `}`, the line ends (another `}` may follow). */
export function endOfBlock(stream: TokenStream): void {
  const next = stream.peek();
  if (next && !next.startsLine && !isBrace(next, '}'))
    throw errorAt(next, `unexpected ${shown(next)} after '}': start it on a new line`);
}

const nested = (t: Token) =>
  errorAt(t, `unexpected '{': a plugin's block cannot hold another block (one level, as CoreDNS)`);

export function unclosed(ctx: ReadContext, open: Token) {
  const where = open.file === ctx.end.file ? `line ${open.line}` : `${open.file}:${open.line}`;
  return errorAt(ctx.end, `expected '}' to close the block opened at ${where}`);
}
