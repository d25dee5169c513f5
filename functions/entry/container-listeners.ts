// The container's listeners from its configuration: UDP and TCP on one port, DoH when configured
// (hono app behind the Node fast path for wire GETs), and the probes. Handlers take the resolver
// context from `current()` once per query: a reload swaps it (container-generation.ts).
import { readFileSync } from 'node:fs';
import { resolveNow, type ResolverContext } from '../core/resolver.ts';
import { serveDns53 } from '../dns53/serve.ts';
import { defaultTcpLimits, serveTcp } from '../dns53/tcp.ts';
import { certificateFor } from '../dns53/dot-config.ts';
import type { UdpServer } from '../dns53/udp.ts';
import type { TcpServer } from '../dns53/tcp.ts';
import { dohApp } from '../doh/app.ts';
import { serveDoh, type DohListener } from '../doh/node-server.ts';
import { wireFastPath, type NodeRequest } from '../doh/node-fast-path.ts';
import { bearerToken } from '../doh/auth.ts';
import { tokenAuthorizer, type TokenAuthOptions } from '../doh/token-auth.ts';
import type { Client, MessageHandler } from '../dns53/handler.ts';
import { observedHandler, observeReply } from '../observe/query-observer.ts';
import {
  serveProbes,
  type ProbePath,
  type ProbeServer,
  type Readiness,
} from '../../common/probes/probe-server.ts';
import { splitHostPort } from '../../common/config/fields.ts';
import type { ContainerConfig } from './container-config.ts';
import type { ContainerLog } from './container-logs.ts';
import type { ListenerObservers } from './container-observers.ts';
import { aclAdmitted, admitted, type Admission } from './container-admission.ts';

/**
 * The handler port-53 listeners (UDP, TCP, DoT) share: admission (rate limit, ACL) from
 * `admission()`, then the resolver with `current()`'s context, observed when observers are on.
 */
export function dnsHandler(
  current: () => ResolverContext,
  admission: (() => Admission) | undefined,
  observers?: ListenerObservers,
): MessageHandler {
  // The client is the `remote` plugins such as template's `.Remote` read.
  const resolved: MessageHandler = (message, transport, client) =>
    resolveNow(message, transport, current(), client);
  const gated: MessageHandler = admission
    ? (message, transport, client) => {
        const verdict = admitted(admission(), message, transport, client.address, now());
        return verdict === 'pass' ? resolved(message, transport, client) : verdict;
      }
    : resolved;
  const observer = observers?.observer;
  return observer ? observedHandler(gated, observer, now) : gated;
}

export async function serveDns(
  config: ContainerConfig['dns'],
  handle: MessageHandler,
  log: ContainerLog,
  observers?: ListenerObservers,
): Promise<{ udp: UdpServer; tcp: TcpServer }> {
  const { host, port } = splitHostPort(config.listen);
  const warn = (line: string) => log.warn(line, 'dns53');
  const dns = await serveDns53(
    host,
    port,
    handle,
    { warn },
    { ...defaultTcpLimits, ...config.tcp },
  );
  observers?.listening('dns', dns.udp.address);
  return dns;
}

/** DoT (RFC 7858) on `dot.listen` with its certificate (or the shared one); off without a listen. */
export async function serveDotFrom(
  config: Pick<ContainerConfig, 'dot' | 'tls' | 'dns'>,
  handle: MessageHandler,
  log: ContainerLog,
): Promise<TcpServer | undefined> {
  if (!config.dot.listen) return undefined;
  const files = certificateFor(config.dot, config.tls);
  if (!files)
    throw new Error('dot: no certificate (dot.cert and dot.key, or tls.cert and tls.key)');
  const { host, port } = splitHostPort(config.dot.listen);
  const warn = (line: string) => log.warn(line.replace(/^tcp:/, 'dot:'), 'dns53');
  return serveTcp(
    host,
    port,
    handle,
    { warn },
    { ...defaultTcpLimits, ...config.dns.tcp },
    {
      cert: readFileSync(files.cert),
      key: readFileSync(files.key),
    },
  );
}

/** DoH on `config.listen`, HTTPS with HTTP/2 when a certificate is given; off without a listen. */
export async function serveDohFrom(
  config: ContainerConfig['doh'],
  current: () => ResolverContext,
  observers?: ListenerObservers,
  admission?: () => Admission,
  auth?: TokenAuthOptions,
): Promise<DohListener | undefined> {
  if (!config.listen) return undefined;
  const tls =
    config.cert && config.key
      ? { cert: readFileSync(config.cert), key: readFileSync(config.key) }
      : undefined;
  const observer = observers?.observer;
  // The acl as on port 53 (§6.15), by the connection's peer: block and filter are DNS answers; a
  // dropped query has none, and the listener answers it 403 (node-server.ts `dropped`).
  const drops = new WeakSet<NodeRequest>();
  const answerNow = (q: Uint8Array, req: NodeRequest | undefined) => {
    const verdict = admission && req ? aclAdmitted(admission(), q, clientOf(req).address) : 'pass';
    if (verdict === 'pass') return resolveNow(q, 'https', current());
    if (verdict === null) drops.add(req!);
    return verdict;
  };
  const incoming = (env: unknown) => (env as { incoming?: NodeRequest } | undefined)?.incoming;
  // With auth (container-doh-auth.ts), the fast path serves static tokens within their budget
  // only; the app everything else (docs/architecture.md §6.19).
  const tokens = auth && tokenAuthorizer(auth);
  const admit =
    tokens &&
    ((req: NodeRequest) => tokens.admitStatic(bearerToken(req.headers.authorization), Date.now()));
  const withAuth = auth && { auth };
  let fastPath = wireFastPath((q, req) => answerNow(q, req), admit);
  let app = dohApp({ resolve: async (q, env) => answerNow(q, incoming(env)), ...withAuth });
  if (observer) {
    // What the fast path declines (no answer, FORMERR) the app resolves again: observed there.
    const answered = {
      observe: (q: Parameters<typeof observer.observe>[0]) =>
        q.reply && (q.reply[3]! & 0xf) !== 1 && observer.observe(q),
    };
    fastPath = wireFastPath((q, req) => {
      const reply = answerNow(q, req);
      // A dropped query is the fast path's to answer (403): observed here.
      const to = drops.has(req) ? observer : answered;
      return observeReply(reply, to, now, now(), q, 'https', clientOf(req));
    }, admit);
    app = dohApp({
      ...withAuth,
      resolve: async (q, env) => {
        const req = incoming(env);
        return observeReply(answerNow(q, req), observer, now, now(), q, 'https', clientOf(req));
      },
    });
  }
  // The rate limit: 429 with Retry-After before the request is read.
  const gate = admission && ((req: NodeRequest) => dohWait(admission(), clientOf(req).address));
  const dropped = (req: NodeRequest) => drops.has(req);
  const doh = await serveDoh(app.fetch, {
    ...splitHostPort(config.listen),
    tls,
    fastPath,
    gate,
    dropped,
  });
  observers?.listening('https', doh.address);
  return doh;
}

/** Seconds a DoH client over the rate limit should wait, or undefined to serve it. */
function dohWait(a: Admission, address: string): number | undefined {
  const limiter = a.limiter;
  if (!limiter || limiter.admit(address, now()) === 'pass') return undefined;
  return limiter.retryAfterSeconds(address, now());
}

/** Milliseconds for query durations (performance.now needs its `this`). */
const now = () => performance.now();

/** The DoH client: the request's socket peer (HTTP/2: the session's socket). */
function clientOf(req: NodeRequest | undefined): Client {
  const socket = req?.socket;
  return {
    address: socket?.remoteAddress ?? '',
    port: socket?.remotePort ?? 0,
    family: socket?.remoteFamily ?? 'IPv4',
  };
}

/** A probe server: its address and the paths it answers. */
export interface ProbeSite {
  listen: string;
  paths: ProbePath[];
}

/**
 * The probe servers, keyed by what identifies one across reloads: /health on `health.listen` and
 * /ready on `ready.listen` (CoreDNS :8080 and :8181); without `ready.listen`, or with the same
 * address, /ready is served beside /health. Port 0 is a new port for each.
 */
export function probeAddresses(
  config: Pick<ContainerConfig, 'health' | 'ready'>,
): Map<string, ProbeSite> {
  const sites = new Map<string, ProbeSite>();
  const health = config.health.listen;
  const ready = config.ready.listen ?? health;
  if (health !== undefined) sites.set(health, { listen: health, paths: ['/health'] });
  if (ready === undefined) return sites;
  const beside = sites.get(ready);
  if (beside && (config.ready.listen === undefined || !ready.endsWith(':0')))
    beside.paths.push('/ready');
  else
    sites.set(sites.has(ready) ? `${ready} /ready` : ready, { listen: ready, paths: ['/ready'] });
  return sites;
}

export async function serveProbesAt(
  listen: string,
  paths: readonly ProbePath[],
  readiness: Readiness,
): Promise<ProbeServer> {
  const { host, port } = splitHostPort(listen);
  return serveProbes(host, port, readiness, paths);
}
