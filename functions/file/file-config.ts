// CoreDNS's `file` directive: `file DBFILE [ZONES...] { reload DURATION }`. ZONES default to the
// server block's; `reload` is how often the file is checked, a changed SOA serial replacing the
// zone (CoreDNS's default 1m; 0 never checks).
import { parseDuration } from '../../common/config/duration-text.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';

export interface FileOptions {
  /** DBFILE as written (relative paths are the entry's to resolve). */
  file: string;
  /** Canonical zones; empty when the directive names none: the server block's. */
  zones: string[];
  /** Milliseconds between checks of the file; 0: never. */
  reloadMs: number;
}

export const DEFAULT_RELOAD_MS = 60_000;

export function fileFromDirective(d: Directive): FileOptions {
  const [file, ...zones] = d.args;
  if (file === undefined) throw directiveError(d, 'expected DBFILE [ZONES...]');
  let reloadMs = DEFAULT_RELOAD_MS;
  for (const o of d.block ?? []) {
    if (o.name !== 'reload')
      throw directiveError(o, 'expected reload DURATION (the only option of file)');
    if (o.args.length !== 1) throw directiveError(o, 'expected one DURATION, such as 30s or 1m');
    try {
      reloadMs = parseDuration(o.args[0]!, 'reject');
    } catch (error) {
      throw directiveError(o, (error as Error).message);
    }
  }
  return { file, zones: zones.map(zoneName), reloadMs };
}

/** A zone as the Corefile writes it (`example.org.`), canonical. */
function zoneName(zone: string): string {
  const lower = zone.toLowerCase();
  return lower === '.' ? '' : lower.replace(/\.$/, '');
}
