// What a reload does to a running DoT or DoH listener whose address stays
// (docs/architecture.md §8.12): its certificate is read again even when the paths stay, so a
// rotated certificate is picked up; a key that does not match fails the reload here, before
// anything changes; what cannot change in place (DoH between HTTP and HTTPS, DoH authorization)
// fails the reload naming the restart it needs.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { TcpServer } from '../dns53/tcp.ts';
import { defaultTcpLimits } from '../dns53/tcp.ts';
import { certificateFor } from '../dns53/dot-config.ts';
import type { DohListener } from '../doh/node-server.ts';
import type { ContainerConfig } from './container-config.ts';

/** Steps applied when the reload commits, and what they change, for its log line. */
export interface InPlace {
  apply: (() => void)[];
  changes: string[];
}

type TlsConfig = Pick<ContainerConfig, 'dns' | 'dot' | 'tls' | 'doh'>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function dotInPlace(next: TlsConfig, old: TlsConfig, dot: TcpServer): InPlace {
  const files = certificateFor(next.dot, next.tls);
  if (!files)
    throw new Error('dot: no certificate (dot.cert and dot.key, or tls.cert and tls.key)');
  const tls = { cert: readFileSync(files.cert), key: readFileSync(files.key) };
  createSecureContext(tls);
  const out: InPlace = { apply: [() => dot.setTls?.(tls)], changes: [] };
  if (!same(files, certificateFor(old.dot, old.tls))) out.changes.push('dot certificate');
  if (!same(next.dns.tcp, old.dns.tcp))
    out.apply.push(() => dot.setLimits({ ...defaultTcpLimits, ...next.dns.tcp }));
  return out;
}

export function dohInPlace(next: TlsConfig, old: TlsConfig, doh: DohListener): InPlace {
  // The DoH app holds its tokens, keys and budgets (container-doh-auth.ts).
  if (!same(next.doh.auth, old.doh.auth))
    throw new Error(`doh.auth: changing DoH authorization needs a restart (or a new address)`);
  if ((next.doh.cert !== undefined) !== (old.doh.cert !== undefined))
    throw new Error(
      `doh: switching ${next.doh.listen} between HTTP and HTTPS needs a restart (or a new address)`,
    );
  if (!next.doh.cert || !next.doh.key) return { apply: [], changes: [] };
  const tls = { cert: readFileSync(next.doh.cert), key: readFileSync(next.doh.key) };
  const changed = next.doh.cert !== old.doh.cert || next.doh.key !== old.doh.key;
  return { apply: [() => doh.setTls(tls)], changes: changed ? ['doh certificate'] : [] };
}
