// CoreDNS's `bufsize [SIZE]` directive (plugin/bufsize setup): SIZE 512..4096, default 1232 (DNS
// flag day 2020). CoreDNS lowers the EDNS UDP size a query advertises to SIZE, so a UDP reply
// is cut to it (TC set, RFC 6891 §7); queries without EDNS keep 512 (RFC 1035 §4.2.1).
import { directiveError, type Directive } from '../corefile/corefile.ts';

export const BUFSIZE_DEFAULT = 1232;
export const BUFSIZE_MIN = 512;
export const BUFSIZE_MAX = 4096;

export function bufsizeFromDirective(d: Directive): number {
  if (d.block) throw directiveError(d, 'takes no block');
  if (d.args.length > 1) throw directiveError(d, 'expected bufsize [SIZE]');
  const [text] = d.args;
  if (text === undefined) return BUFSIZE_DEFAULT;
  const size = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(size >= BUFSIZE_MIN && size <= BUFSIZE_MAX))
    throw directiveError(d, `SIZE must be within ${BUFSIZE_MIN} - ${BUFSIZE_MAX}, got ${text}`);
  return size;
}

/**
 * The UDP size of every block's `bufsize`, which must agree: edge-dns answers on one port with
 * one answer cache, so the size is the server's (docs/corefile.md, global limits). Undefined when
 * no block has one.
 */
export function bufsizeOfBlocks(directives: readonly Directive[]): number | undefined {
  let first: { d: Directive; size: number } | undefined;
  for (const d of directives) {
    const size = bufsizeFromDirective(d);
    if (first && first.size !== size)
      throw directiveError(
        d,
        `${size} differs from the ${first.size} at ${first.d.file}:${first.d.line}: edge-dns answers every block with one UDP size`,
      );
    first ??= { d, size };
  }
  return first?.size;
}
