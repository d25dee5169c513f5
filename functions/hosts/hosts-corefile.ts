// CoreDNS's `hosts` directive (plugin/hosts setup, README):
//   hosts [FILE [ZONES...]] { [INLINE] ttl SECONDS; no_reverse; reload DURATION;
//                             fallthrough [ZONES...]; fallthrough_unsupported }
// Stricter than CoreDNS where it would accept a line and then ignore it: a block line that is
// neither an option nor an `IP name...` entry is an error, as is an entry whose names cannot be
// DNS names. Reading the file and building its records is the entry's (functions/hosts/README.md).
import { parseDuration } from '../../common/config/duration.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { zoneArg, zonesFromArgs } from '../corefile/zone-args.ts';
import { parseIp } from '../core/ip.ts';

export interface HostsOptions {
  /** The hosts file, as written (CoreDNS prefixes a relative path with the `root` plugin's). */
  file: string;
  /** The zones names must be in (canonical, '' the root): the arguments', else the block's. */
  zones: string[];
  /** Inline entries, `IP name...` each, in the order written: parsed as hosts-file lines. */
  inline: string[];
  ttl: number;
  /** PTR records for the entries (false: `no_reverse`). */
  reverse: boolean;
  /** How often the file is checked for changes; 0: never. */
  reloadMs: number;
  /** `fallthrough [ZONES...]`: undefined: never; []: every zone. */
  fallthrough?: string[];
  /** `fallthrough_unsupported`: other types at a name that exists go on too (where fallthrough does). */
  fallthroughUnsupported: boolean;
}

export const HOSTS_DEFAULTS = { file: '/etc/hosts', ttl: 3600, reloadMs: 5000 } as const;

/** The options of one `hosts` directive of a server block whose zones are `blockZones`. */
export function hostsFromDirective(d: Directive, blockZones: readonly string[]): HostsOptions {
  const [file, ...zoneArgs] = d.args;
  const o: HostsOptions = {
    file: file ?? HOSTS_DEFAULTS.file,
    zones: zonesFromArgs(d, zoneArgs, blockZones),
    inline: [],
    ttl: HOSTS_DEFAULTS.ttl,
    reverse: true,
    reloadMs: HOSTS_DEFAULTS.reloadMs,
    fallthroughUnsupported: false,
  };
  for (const s of d.block ?? []) {
    switch (s.name) {
      case 'fallthrough':
        o.fallthrough = s.args.flatMap((arg) => zoneArg(s, arg));
        break;
      case 'fallthrough_unsupported':
        noArgs(s);
        o.fallthroughUnsupported = true;
        break;
      case 'no_reverse':
        noArgs(s);
        o.reverse = false;
        break;
      case 'ttl':
        o.ttl = ttlOf(s);
        break;
      case 'reload':
        o.reloadMs = reloadOf(s);
        break;
      default:
        o.inline.push(inlineEntry(s, o.fallthrough !== undefined));
    }
  }
  if (o.fallthroughUnsupported && o.fallthrough === undefined)
    throw directiveError(d, 'fallthrough_unsupported requires fallthrough');
  return o;
}

function noArgs(s: Directive): void {
  if (s.args.length > 0) throw directiveError(s, 'expected no arguments');
}

function ttlOf(s: Directive): number {
  const [text, ...rest] = s.args;
  if (text === undefined || rest.length > 0) throw directiveError(s, 'expected ttl SECONDS');
  const ttl = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!(ttl >= 1 && ttl <= 65535))
    throw directiveError(s, `expected a TTL of 1..65535 seconds, got "${text}"`);
  return ttl;
}

function reloadOf(s: Directive): number {
  const [text, ...rest] = s.args;
  if (text === undefined || rest.length > 0)
    throw directiveError(s, 'expected reload DURATION (zero seconds to disable)');
  if (text.startsWith('-')) throw directiveError(s, `invalid negative duration "${text}"`);
  let ms: number;
  try {
    ms = parseDuration(text.replace(/^\+/, ''), 'reject');
  } catch (error) {
    throw directiveError(s, (error as Error).message);
  }
  // Go keeps nanoseconds; a duration under a millisecond still reloads, as often as it may.
  return ms === 0 && /[1-9]/.test(text) ? 1 : ms;
}

/** An inline `IP name...` line (CoreDNS: only before `fallthrough`; anything else is unknown). */
function inlineEntry(s: Directive, afterFallthrough: boolean): string {
  const zone = s.name.indexOf('%');
  if (!parseIp(zone >= 0 ? s.name.slice(0, zone) : s.name))
    throw directiveError(s, `unknown property "${s.name}"`);
  if (afterFallthrough) throw directiveError(s, 'inline entries must come before fallthrough');
  if (s.block) throw directiveError(s, 'an inline entry takes no block');
  if (s.args.length === 0) throw directiveError(s, 'expected an address then at least one name');
  for (const name of s.args) {
    const bare = name.replace(/\.$/, '');
    const labels = bare.split('.');
    const odd = /[#\\]/.test(name); // a comment or an escape: the hosts format has neither
    if (odd || bare === '' || labels.some((l) => l === '' || l.length > 63) || bare.length > 253)
      throw directiveError(s, `"${name}" is not a host name`);
  }
  return [s.name, ...s.args].join(' ');
}
