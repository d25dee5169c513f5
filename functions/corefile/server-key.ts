// A server block's key, `[scheme://]zone[:port]`, as CoreDNS reads it (its parse.Transport and
// plugin.SplitHostPort): the scheme picks the transport, a number after the last ':' is the port,
// and the zone is a domain name (`.` is the root; an empty one, as in `:1053`, is the root too)
// or a CIDR standing for its reverse zones (reverse-zone.ts). Zones come out canonical:
// lowercase, no trailing dot, the root ''.
import type { ServerKey } from './corefile.ts';
import { reverseZones } from './reverse-zone.ts';

/** The transports CoreDNS serves, by the scheme of a server key. */
export const SCHEMES = ['dns', 'tls', 'https', 'https3', 'grpc', 'quic'] as const;

/** Labels of letters, digits, '-' and '_' (RFC 1035 §2.3.1, with RFC 2782's underscores). */
const LABEL = /^[a-z0-9_-]{1,63}$/;

/** The keys `written` stands for (several for a CIDR off a label boundary), or why it is bad. */
export function parseServerKey(written: string): { keys: ServerKey[] } | { error: string } {
  let rest = written;
  let scheme = 'dns';
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep);
    if (!(SCHEMES as readonly string[]).includes(scheme))
      return {
        error: `unknown scheme '${scheme}://' in '${written}': expected ${SCHEMES.map((s) => `${s}://`).join(', ')}`,
      };
    rest = rest.slice(sep + 3);
  }
  let port: number | undefined;
  const colon = rest.lastIndexOf(':');
  const after = rest.slice(colon + 1);
  if (colon >= 0 && /^[0-9]+$/.test(after)) {
    port = Number(after);
    if (port > 65535) return { error: `port ${after} in '${written}' is over 65535` };
    rest = rest.slice(0, colon);
  } else if (colon >= 0 && !rest.includes('/')) {
    // An IPv6 CIDR holds colons of its own, and no port unless one follows its prefix length.
    return { error: `expected a port number after ':' in '${written}', not '${after}'` };
  }
  const withPort = (zone: string): ServerKey => ({
    scheme,
    zone,
    ...(port !== undefined && { port }),
  });
  if (rest.includes('/')) {
    const reverse = reverseZones(rest);
    return 'error' in reverse ? reverse : { keys: reverse.zones.map(withPort) };
  }
  const zone = rest.toLowerCase().replace(/\.$/, '');
  if (zone !== '' && (zone.length > 253 || !zone.split('.').every((l) => LABEL.test(l))))
    return {
      error: `expected a zone such as example.org, '.' or a CIDR in '${written}', not '${rest}'`,
    };
  return { keys: [withPort(zone)] };
}

/** A key as CoreDNS prints it, `dns://example.org.:53`; without a port when none was written. */
export function keyText(k: ServerKey): string {
  return `${k.scheme}://${k.zone}.${k.port === undefined ? '' : `:${k.port}`}`;
}
