// The Corefile as parsed (CoreDNS's caddyfile syntax): server blocks of directives, with snippets
// and imports already expanded. Each directive keeps the file and line it was written at, so a
// plugin's setup can name them in its errors.

/** One directive: `name arg...`, with its `{ ... }` block of sub-directives if it has one. */
export interface Directive {
  name: string;
  args: string[];
  /** The sub-directives of a `{ }` block (one level: their own `block` is absent). */
  block?: Directive[];
  /** The file the directive was read from (an imported file's own path) and its line (1-based). */
  file: string;
  line: number;
}

/** One key of a server block: `[scheme://]zone[:port]`. */
export interface ServerKey {
  /** 'dns' (the default), 'tls', 'https', 'grpc', 'quic'. */
  scheme: string;
  /** Canonical zone: lowercase, no trailing dot; the root is ''. */
  zone: string;
  /** The port written, if any (CoreDNS's default is 53, or the server's -dns.port). */
  port?: number;
}

export interface ServerBlock {
  keys: ServerKey[];
  directives: Directive[];
  file: string;
  line: number;
}

export interface Corefile {
  servers: ServerBlock[];
  /** Every file read (the Corefile and what it imports): what a reload watches. */
  files: string[];
}

/** How the parser reaches files, injected so that it stays free of node: (node-io.ts is the
 *  container's; memory-io.ts serves tests). Paths are '/'-separated. */
export interface CorefileIo {
  /** The file's text; undefined when there is no such file. Throws for other failures (a
   *  directory, no permission): the parser reports the message. */
  read(path: string): string | undefined;
  /** The paths matching a glob whose wildcards are in its last element ('*', '?'); [] for none. */
  glob(pattern: string): string[];
}

/** A Corefile problem, worded as CoreDNS words them: `FILE:LINE - Error during parsing: ...`. */
export class CorefileError extends Error {
  override name = 'CorefileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line} - Error during parsing: ${reason}`);
  }
}

/** A CorefileError at a directive. */
export const directiveError = (d: Pick<Directive, 'file' | 'line' | 'name'>, reason: string) =>
  new CorefileError(d.file, d.line, `${d.name}: ${reason}`);
