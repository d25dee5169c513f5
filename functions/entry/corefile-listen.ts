// Where a Corefile's container listens (docs/corefile.md "Server blocks"): one DNS port for every
// dns:// block and one DoT port for the tls:// blocks, on the `bind` addresses (DoT on the first);
// and the process plugins' own addresses (`health`, `ready`, `prometheus`) as CoreDNS reads them.
import { directiveError, type Corefile, type Directive } from '../corefile/corefile.ts';

/** The `dns` key (and `dot.listen`) from the blocks' ports and `bind`; a mixed set is refused. */
export function listenFromBlocks(
  corefile: Corefile,
  ports: ReadonlySet<number>,
  tlsPorts: ReadonlySet<number>,
  bind: readonly string[] | undefined,
): { dns: Record<string, unknown>; dotListen?: string } {
  const blocks = { ...corefile.servers[0]!, name: 'server blocks' };
  if (ports.size > 1)
    throw directiveError(
      blocks,
      `edge-dns serves one DNS port; these blocks use ${[...ports].join(' and ')}`,
    );
  const [tlsPort, ...otherTls] = tlsPorts;
  // Port 0 is a new port for each listener (tests).
  if (tlsPort !== undefined && (otherTls.length > 0 || (tlsPort !== 0 && ports.has(tlsPort))))
    throw directiveError(
      blocks,
      otherTls.length > 0
        ? `edge-dns serves one DoT port; these tls:// blocks use ${[...tlsPorts].join(' and ')}`
        : `tls:// and dns:// blocks both use port ${tlsPort}`,
    );
  const [first = '0.0.0.0', ...also] = bind ?? [];
  const port = [...ports][0] ?? 53;
  const at = (host: string) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    dns: { listen: at(first), ...(also.length > 0 && { also: also.map(at) }) },
    // DoT listens on the first bind address only.
    ...(tlsPort !== undefined && { dotListen: at(first).replace(/:\d+$/, `:${tlsPort}`) }),
  };
}

/** `health|ready|prometheus [ADDRESS]`: `:8080` and `localhost:8080` as CoreDNS reads them. */
export function pluginAddress(d: Directive, port: number, host = '0.0.0.0'): string {
  const [text] = d.args;
  if (d.args.length > 1) throw directiveError(d, 'expected at most one ADDRESS');
  if (text === undefined) return `${host}:${port}`;
  if (text.startsWith(':')) return `0.0.0.0${text}`;
  return text.replace(/^localhost:/, '127.0.0.1:');
}

/** `health { lameduck DURATION }`. */
export function lameduck(d: Directive): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of d.block ?? []) {
    if (o.name !== 'lameduck' || o.args.length !== 1)
      throw directiveError(o, 'expected lameduck DURATION');
    out.lameduck = o.args[0];
  }
  return out;
}
