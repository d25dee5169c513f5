// How an upstream is written in config, after CoreDNS's `forward FROM TO...`: `10.0.0.10`,
// `10.0.0.10:53`, `[::1]:53` or `dns://…` (UDP, retried over TCP on TC), `tcp://…` (TCP only),
// `tls://IP[:853][#NAME]` (DoT, RFC 7858; NAME the name the certificate must hold, as Unbound
// writes it, else the block's `tls_servername`), `https://…/dns-query` (DoH, RFC 8484), or a
// resolv.conf path (`/etc/resolv.conf`: its nameservers). Pure: parsing only; the entries build
// the transports.
import { parseHostPort } from './upstream.ts';

export type UpstreamSpec =
  | { kind: 'udp' | 'tcp'; address: string }
  | { kind: 'tls'; address: string; serverName?: string }
  | { kind: 'https'; url: string }
  | { kind: 'resolv.conf'; path: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;
/** A host name a certificate may hold (RFC 1123 §2.1 labels; RFC 6125 §6.4.1 reference identity). */
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
/** RFC 7858 §3.1. */
const DOT_PORT = 853;

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
  if (scheme !== undefined && !['dns', 'udp', 'tcp', 'tls'].includes(scheme)) {
    throw new RangeError(
      `upstream "${text}": unknown scheme ${scheme}:// (expected dns://, tcp://, tls://, https:// or an IP address)`,
    );
  }
  let rest = scheme === undefined ? t : t.slice(scheme.length + 3);
  let serverName: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    serverName = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (scheme !== 'tls')
      throw new RangeError(`upstream "${text}": #NAME (a certificate's name) is for tls:// only`);
    if (!HOST_NAME.test(serverName))
      throw new RangeError(`upstream "${text}": expected a host name after #, not "${serverName}"`);
  }
  const { host, port } = parseHostPort(rest, scheme === 'tls' ? DOT_PORT : 53);
  if (!IPV4.test(host) && !(host.includes(':') && IPV6.test(host))) {
    throw new RangeError(
      `upstream "${text}": expected an IP address (names would need a resolver to find the resolver), or an https:// URL`,
    );
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  if (scheme === 'tls')
    return {
      kind: 'tls',
      address,
      ...(serverName && { serverName: serverName.replace(/\.$/, '') }),
    };
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
