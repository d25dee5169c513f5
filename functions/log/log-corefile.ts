// CoreDNS's `log` and `errors` directives as this folder's config keys (log-config.ts,
// errors-config.ts): the Corefile is one more way to write them (docs/architecture.md §8.2).
import { directiveError, type Directive } from '../corefile/corefile.ts';

/** `log [NAMES...] [FORMAT] { class CLASSES... }`: edge-dns logs every name (NAMES `.` only). */
export function logFromDirective(d: Directive): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // CoreDNS: one argument is a name; with more, the last is the format.
  const names = d.args.length > 1 ? d.args.slice(0, -1) : d.args;
  if (d.args.length > 1) out.format = d.args[d.args.length - 1];
  if (names.some((n) => n !== '.'))
    throw directiveError(d, `logging only some names (${names.join(' ')}) is not supported: use .`);
  for (const o of d.block ?? []) {
    if (o.name !== 'class') throw directiveError(o, 'expected class CLASSES...');
    if (o.args.length === 0) throw directiveError(o, 'expected all, success, denial or error');
    out.classes = o.args;
  }
  return out;
}

/** `errors { consolidate DURATION REGEXP [LEVEL] [show_first] }`. */
export function errorsFromDirective(d: Directive): Record<string, unknown> {
  if (d.args.length > 0) throw directiveError(d, 'expected no arguments (stdout only)');
  const consolidate = (d.block ?? []).map((o) => {
    if (o.name !== 'consolidate') throw directiveError(o, 'expected consolidate');
    const [interval, pattern, ...rest] = o.args;
    if (interval === undefined || pattern === undefined)
      throw directiveError(o, 'expected DURATION REGEXP [LEVEL] [show_first]');
    const showFirst = rest.includes('show_first');
    const level = rest.find((r) => r !== 'show_first');
    return { interval, pattern, ...(level && { level }), showFirst };
  });
  return { consolidate };
}
