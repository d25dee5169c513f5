// The DoH app on Node: HTTPS with HTTP/2 (RFC 8484 §5.2 recommends HTTP/2) and HTTP/1.1 fallback
// when a certificate is configured; plain HTTP/1.1 otherwise (local use: npm start). A fast path
// (node-fast-path.ts) may answer the commonest request before the app sees it. A request whose
// query the container's acl drops gets an empty 403 on either path (docs/architecture.md §6.15).
import { createServer as createHttpServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { FastPath, NodeRequest, NodeResponse } from './node-fast-path.ts';

export interface DohListener {
  address: { host: string; port: number };
  /** Base URL of the listener, e.g. https://127.0.0.1:8053 */
  url: string;
  /** Closes the listener and every connection at once. */
  close(): Promise<void>;
  /**
   * Stops accepting connections; requests under way are answered, HTTP/2 sessions get GOAWAY
   * (RFC 9113 §6.8) and HTTP/1.1 connections close after their response; after `timeoutMs`
   * what is left is closed at once.
   */
  drain(timeoutMs: number): Promise<void>;
  /** A new certificate and key for new connections (HTTPS only; a reload). */
  setTls(tls: { cert: string | Buffer; key: string | Buffer }): void;
}

export interface DohListenOptions {
  host: string;
  port: number;
  /** PEM certificate chain and key: HTTPS + HTTP/2. Absent: plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Tried first on every request; what it declines goes to `fetch`. */
  fastPath?: FastPath;
  /**
   * Asked before anything else (the container's rate limit): seconds the client should wait, and
   * the request is answered 429 with `Retry-After` (RFC 6585 §4) unread; undefined serves it.
   */
  gate?: (req: NodeRequest) => number | undefined;
  /**
   * Asked when the fast path or the app found no answer: whether the query was dropped (the
   * container's acl `drop`, marked while resolving). Such a request is answered 403 with an empty
   * body, never cached, instead of what the app would say of a missing answer.
   */
  dropped?: (req: NodeRequest) => boolean;
}

/** The answer to a dropped query: CoreDNS sends no DNS reply; over HTTP a request needs one. */
const DROPPED_STATUS = 403;
const DROPPED_HEADERS = { 'cache-control': 'no-store', 'content-length': '0' };

/** Serves `fetch` (a hono app's) and resolves once listening. */
export function serveDoh(
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>,
  o: DohListenOptions,
): Promise<DohListener> {
  const dropped = o.dropped;
  const fetchOrDrop = dropped
    ? async (request: Request, env: { incoming: NodeRequest }) => {
        const response = await fetch(request, env);
        return dropped(env.incoming)
          ? new Response(null, { status: DROPPED_STATUS, headers: DROPPED_HEADERS })
          : response;
      }
    : fetch;
  const app = getRequestListener(fetchOrDrop) as (
    req: NodeRequest,
    res: NodeResponse,
  ) => Promise<void>;
  // What the fast path declines for a dropped query is answered here, not resolved again.
  const appOrDrop = dropped
    ? (req: NodeRequest, res: NodeResponse) => {
        if (!dropped(req)) return void app(req, res);
        res.writeHead(DROPPED_STATUS, DROPPED_HEADERS);
        res.end();
      }
    : (req: NodeRequest, res: NodeResponse) => void app(req, res);
  const fast = o.fastPath;
  const serve = fast
    ? (req: NodeRequest, res: NodeResponse) =>
        void (fast(req, res, () => appOrDrop(req, res)) || appOrDrop(req, res))
    : app;
  // What a drain needs: raw connections (closed at its deadline), HTTP/2 sessions (sent GOAWAY),
  // and HTTP/1.1 responses under way: answered with `Connection: close`, after which Node ends
  // the connection once the response is written (RFC 9112 §9.6).
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  const answering = new Set<NodeResponse>();
  let draining = false;
  const gate = o.gate;
  const listener = (req: NodeRequest, res: NodeResponse) => {
    const wait = gate?.(req);
    if (wait !== undefined) {
      res.writeHead(429, {
        'retry-after': String(wait),
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end('too many requests\n');
      return;
    }
    if (req.httpVersionMajor === 1) {
      if (draining) res.setHeader('connection', 'close');
      else {
        answering.add(res);
        res.once('close', () => answering.delete(res));
      }
    }
    serve(req, res);
  };
  const server: Server | Http2SecureServer = o.tls
    ? createSecureServer({ cert: o.tls.cert, key: o.tls.key, allowHTTP1: true }, listener)
    : createHttpServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      const info = server.address() as AddressInfo;
      const host = info.address;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        address: { host, port: info.port },
        url: `${o.tls ? 'https' : 'http'}://${shown}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
        drain: (timeoutMs) =>
          new Promise<void>((done) => {
            draining = true;
            const timer = setTimeout(() => {
              for (const socket of sockets) socket.destroy();
            }, timeoutMs);
            for (const res of answering) if (!res.headersSent) res.setHeader('connection', 'close');
            // Closes idle HTTP/1.1 connections; busy ones close after their response (above).
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            for (const session of sessions) session.close();
          }),
        setTls: (tls) => {
          if ('setSecureContext' in server) server.setSecureContext(tls);
        },
      });
    });
  });
}
