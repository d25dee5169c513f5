// The container's TLS listeners' keys and flags (docs/architecture.md §8.2: config beside the
// part it configures): `dot` (DNS over TLS, RFC 7858, served by tcp.ts with TLS) and `tls`, the
// certificate every TLS listener uses unless its own `cert`/`key` override it (`doh.cert`,
// `dot.cert`). Certificates are read again when their files change (container-listener-set.ts).
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { hostPort } from '../../common/config/fields.ts';

const pemFiles = {
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
};

/** RFC 7858 §3.1: port 853. */
export const DOT_PORT = 853;

export const dotSchema = z
  .object({ listen: hostPort.optional(), ...pemFiles })
  .strict()
  .prefault({});

export const tlsSchema = z.object(pemFiles).strict().prefault({});

export type DotConfig = z.output<typeof dotSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;

/** A listener's certificate files: its own, else the shared `tls` ones; undefined without both. */
export function certificateFor(
  own: { cert?: string; key?: string },
  shared: TlsConfig,
): { cert: string; key: string } | undefined {
  const cert = own.cert ?? shared.cert;
  const key = own.key ?? shared.key;
  return cert !== undefined && key !== undefined ? { cert, key } : undefined;
}

/** The certificate and key files the TLS listeners of `c` read (DoH, DoT), for the reloader. */
export function certificateFiles(c: {
  doh: { listen?: string; cert?: string; key?: string };
  dot: DotConfig;
  tls: TlsConfig;
}): string[] {
  const files = [
    c.doh.listen !== undefined && certificateFor(c.doh, c.tls),
    c.dot.listen !== undefined && certificateFor(c.dot, c.tls),
  ].flatMap((f) => (f ? [f.cert, f.key] : []));
  return [...new Set(files)];
}

export const dotFlags: readonly FlagRow[] = [
  {
    flag: 'dot',
    value: 'HOST:PORT',
    key: 'dot.listen',
    type: 'string',
    default: 'off',
    coredns: 'server block tls://.:853',
    help: `DNS over TLS (RFC 7858) on this address (usually port ${DOT_PORT}); needs a certificate`,
  },
  {
    flag: 'dot-cert',
    value: 'FILE',
    key: 'dot.cert',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM certificate chain for DoT (default: --tls-cert)',
  },
  {
    flag: 'dot-key',
    value: 'FILE',
    key: 'dot.key',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM private key for DoT (default: --tls-key)',
  },
  {
    flag: 'tls-cert',
    value: 'FILE',
    key: 'tls.cert',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM certificate chain for every TLS listener (DoH, DoT) without its own',
  },
  {
    flag: 'tls-key',
    value: 'FILE',
    key: 'tls.key',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM private key for every TLS listener without its own',
  },
];
