// The container's listeners from its configuration: UDP and TCP on one port, DoH when configured
// (hono app behind the Node fast path for wire GETs), and the probes.
import { readFileSync } from 'node:fs';
import { resolve, resolveNow, type ResolverContext } from '../core/resolver.ts';
import { serveDns53 } from '../dns53/serve.ts';
import { defaultTcpLimits } from '../dns53/tcp.ts';
import type { UdpServer } from '../dns53/udp.ts';
import type { TcpServer } from '../dns53/tcp.ts';
import { dohApp } from '../doh/app.ts';
import { serveDoh, type DohListener } from '../doh/node-server.ts';
import { wireGetFastPath } from '../doh/node-fast-path.ts';
import { serveProbes, type ProbeServer, type Readiness } from '../../common/probes/probe-server.ts';
import { splitHostPort } from '../../common/config/fields.ts';
import type { ContainerConfig } from './container-config.ts';

export async function serveDns(
  config: ContainerConfig['dns'],
  ctx: ResolverContext,
  log: { warn(line: string): void },
): Promise<{ udp: UdpServer; tcp: TcpServer }> {
  const handle = (message: Buffer, transport: 'udp' | 'tcp') => resolveNow(message, transport, ctx);
  const { host, port } = splitHostPort(config.listen);
  return serveDns53(host, port, handle, log, { ...defaultTcpLimits, ...config.tcp });
}

/** DoH on `config.listen`, HTTPS with HTTP/2 when a certificate is given; off without a listen. */
export async function serveDohFrom(
  config: ContainerConfig['doh'],
  ctx: ResolverContext,
): Promise<DohListener | undefined> {
  if (!config.listen) return undefined;
  const tls =
    config.cert && config.key
      ? { cert: readFileSync(config.cert), key: readFileSync(config.key) }
      : undefined;
  const fastPath = wireGetFastPath((q) => resolveNow(q, 'https', ctx));
  const app = dohApp({ resolve: (q) => resolve(q, 'https', ctx) });
  return serveDoh(app.fetch, { ...splitHostPort(config.listen), tls, fastPath });
}

export async function serveProbesFrom(
  config: ContainerConfig['health'],
  readiness: Readiness,
): Promise<ProbeServer | undefined> {
  if (!config.listen) return undefined;
  const { host, port } = splitHostPort(config.listen);
  return serveProbes(host, port, readiness);
}
