// A Corefile's text to server blocks, as CoreDNS's caddyfile parser groups it: at the top level,
// snippets `(name) { ... }`, imports, and server blocks `KEY[, KEY...] { directives }`. Keys are
// separated by spaces or commas; a trailing comma continues them on the next line; the `{` may
// stand on the line after them. A block without braces runs to the end of the file (CoreDNS's
// single-server form). Pure: files come through `read` and `glob`, variables through `env`.
import type { Corefile, CorefileIo, ServerBlock, ServerKey } from './corefile.ts';
import { endOfBlock, readDirectives, unclosed, type ReadContext } from './directive-reader.ts';
import type { Env } from './env-substitution.ts';
import { ImportStatement } from './import-statement.ts';
import { SUPPORTED_PLUGINS } from './plugin-order.ts';
import { keyText, parseServerKey } from './server-key.ts';
import { Snippets } from './snippets.ts';
import { TokenStream } from './token-stream.ts';
import { errorAt, isBrace, isImport, shown, type Token } from './token.ts';

export interface ParseOptions extends CorefileIo {
  /** For `{$NAME}` and `{%NAME%}`: an unset name becomes ''. */
  env: Env;
  /** Snippet names only the root Corefile may declare (snippets.ts). */
  reserved?: readonly string[];
  /** The plugin names edge-dns serves (default SUPPORTED_PLUGINS). */
  supported?: ReadonlySet<string>;
}

/** Parses `text`, read from `file`; throws a CorefileError naming file and line. */
export function parseCorefile(text: string, file: string, options: ParseOptions): Corefile {
  const snippets = new Snippets(file, options.reserved);
  const imports = new ImportStatement(options, options.env, snippets);
  const root = imports.lex(text, file);
  const stream = new TokenStream(root);
  const ctx: ReadContext = {
    stream,
    imports,
    supported: options.supported ?? SUPPORTED_PLUGINS,
    end: { file, line: root.tokens[root.tokens.length - 1]?.line ?? 1 },
  };
  const servers: ServerBlock[] = [];
  const defined = new Map<string, Token>();
  for (let t = stream.next(); t; t = stream.next()) {
    if (isImport(t)) imports.expand(t, stream);
    else if (isBrace(t, '}')) throw errorAt(t, `unexpected '}': no block is open`);
    else if (isBrace(t, '{'))
      throw errorAt(t, `unexpected '{': expected a server key such as .:53 before it`);
    else if (/^\(.*\)$/.test(t.text) && endsKeys(stream)) readSnippet(ctx, snippets, t);
    else {
      const block = readServerBlock(ctx, t);
      for (const [i, key] of block.keys.entries()) {
        const before = defined.get(keyText(key));
        if (before)
          throw errorAt(
            block.keyTokens[i]!,
            `server key ${keyText(key)} is already defined at ${before.file}:${before.line}`,
          );
        defined.set(keyText(key), block.keyTokens[i]!);
      }
      servers.push({ keys: block.keys, directives: block.directives, file: t.file, line: t.line });
    }
  }
  return { servers, files: imports.files };
}

/** Nothing but a `{` or a new line follows: a lone `(name)` key is a snippet. */
function endsKeys(stream: TokenStream): boolean {
  const next = stream.peek();
  return !next || next.startsLine || isBrace(next, '{');
}

function readSnippet(ctx: ReadContext, snippets: Snippets, at: Token): void {
  const name = at.text.slice(1, -1);
  const open = ctx.stream.next();
  if (!isBrace(open, '{')) throw errorAt(at, `expected '{' to open snippet ${at.text}`);
  const tokens: Token[] = [];
  for (let depth = 1; ;) {
    const t = ctx.stream.next();
    if (!t) throw unclosed(ctx, open!);
    if (isBrace(t, '{')) depth++;
    if (isBrace(t, '}') && --depth === 0) break;
    tokens.push(t);
  }
  endOfBlock(ctx.stream);
  snippets.declare(name, at, tokens);
}

interface ReadBlock {
  keys: ServerKey[];
  /** The token each key was written in (a CIDR's keys share one). */
  keyTokens: Token[];
  directives: ServerBlock['directives'];
}

function readServerBlock(ctx: ReadContext, first: Token): ReadBlock {
  const keys: ServerKey[] = [];
  const keyTokens: Token[] = [];
  for (let t = first, more = false; ;) {
    for (const written of t.text.split(',')) {
      if (written === '') continue; // as CoreDNS skips an empty key (`""`, an unset variable)
      const parsed = parseServerKey(written);
      if ('error' in parsed) throw errorAt(t, parsed.error);
      keys.push(...parsed.keys);
      keyTokens.push(...parsed.keys.map(() => t));
    }
    more = t.text.endsWith(',');
    const next = ctx.stream.peek();
    if (!next || isBrace(next, '{') || isBrace(next, '}') || (next.startsLine && !more)) {
      if (more) throw errorAt(t, `expected another server key after ',', not ${shown(next)}`);
      break;
    }
    t = ctx.stream.next()!;
  }
  if (keys.length === 0)
    throw errorAt(first, 'expected a server key such as .:53 (an unset variable is empty)');
  const open = isBrace(ctx.stream.peek(), '{') ? ctx.stream.next() : undefined;
  return { keys, keyTokens, directives: readDirectives(ctx, open) };
}
