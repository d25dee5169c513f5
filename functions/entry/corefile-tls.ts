// `tls://` server blocks (CoreDNS: DNS over TLS, RFC 7858) as the container's one DoT listener
// (functions/dns53/dot-config.ts): their port is `dot.listen`'s, at the `bind` address, and their
// `tls CERT KEY` directive the `dot` certificate. Their zones join the other blocks': one set of
// server blocks answers every listener (docs/corefile.md "Server blocks").
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { DOT_PORT } from '../dns53/dot-config.ts';

/** The port a server key of `scheme` listens on when it names none. */
export function defaultPort(scheme: 'dns' | 'tls'): number {
  return scheme === 'tls' ? DOT_PORT : 53;
}

/** `tls CERT KEY`: DoT's certificate chain and key (PEM files). */
export function dotCertificateFromDirective(
  d: Directive,
  inTlsBlock: boolean,
): { cert: string; key: string } {
  if (!inTlsBlock)
    throw directiveError(d, 'tls is read in tls:// server blocks only (the DoT certificate)');
  if (d.block !== undefined) throw directiveError(d, 'tls options (client_auth) are not supported');
  if (d.args.length === 3)
    throw directiveError(d, 'a CA (client certificates, mutual TLS) is not supported');
  if (d.args.length !== 2) throw directiveError(d, 'expected tls CERT KEY');
  return { cert: d.args[0]!, key: d.args[1]! };
}
