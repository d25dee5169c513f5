// How an upstream is written in config, after CoreDNS's `forward FROM TO...`: `10.0.0.10`,
// `10.0.0.10:53`, `[::1]:53` or `dns://…` (UDP, retried over TCP on TC), `tcp://…` (TCP only),
// `https://…/dns-query` (DoH, RFC 8484), or a resolv.conf path (`/etc/resolv.conf`: its
// nameservers). Pure: parsing only; the entries build the transports.
import { parseHostPort } from './upstream.ts';

export type UpstreamSpec =
  | { kind: 'udp' | 'tcp'; address: string }
  | { kind: 'https'; url: string }
  | { kind: 'resolv.conf'; path: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/** The spec of one TO; throws a RangeError that says what was expected. */
export function parseUpstreamSpec(text: string): UpstreamSpec {
  const t = text.trim();
  if (t.startsWith('/')) return { kind: 'resolv.conf', path: t };
  if (/^https?:\/\//i.test(t)) {
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      throw new RangeError(`upstream "${text}": not a URL`);
    }
    return { kind: 'https', url: url.href };
  }
  const scheme = /^([a-z]+):\/\//i.exec(t)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'dns' && scheme !== 'udp' && scheme !== 'tcp') {
    throw new RangeError(
      `upstream "${text}": unknown scheme ${scheme}:// (expected dns://, tcp://, https:// or an IP address)`,
    );
  }
  const rest = scheme === undefined ? t : t.slice(scheme.length + 3);
  const { host, port } = parseHostPort(rest);
  if (!IPV4.test(host) && !(host.includes(':') && IPV6.test(host))) {
    throw new RangeError(
      `upstream "${text}": expected an IP address (names would need a resolver to find the resolver), or an https:// URL`,
    );
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { kind: scheme === 'tcp' ? 'tcp' : 'udp', address };
}

/** The nameservers of a resolv.conf (resolv.conf(5): `nameserver ADDRESS`, one per line). */
export function resolvConfNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // A link-local address with a zone (fe80::1%eth0) is left out: a zone is not portable.
    if (m && !m[1]!.includes('%')) out.push(m[1]!);
  }
  return out;
}
