// The DoH app on Node: HTTPS with HTTP/2 (RFC 8484 §5.2 recommends HTTP/2) and HTTP/1.1 fallback
// when a certificate is configured; plain HTTP/1.1 otherwise (local use: npm start). A fast path
// (node-fast-path.ts) may answer the commonest request before the app sees it.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { FastPath, NodeRequest, NodeResponse } from './node-fast-path.ts';

export interface DohListener {
  address: { host: string; port: number };
  /** Base URL of the listener, e.g. https://127.0.0.1:8053 */
  url: string;
  close(): Promise<void>;
}

export interface DohListenOptions {
  host: string;
  port: number;
  /** PEM certificate chain and key: HTTPS + HTTP/2. Absent: plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Tried first on every request; what it declines goes to `fetch`. */
  fastPath?: FastPath;
}

/** Serves `fetch` (a hono app's) and resolves once listening. */
export function serveDoh(
  fetch: (request: Request) => Response | Promise<Response>,
  o: DohListenOptions,
): Promise<DohListener> {
  const app = getRequestListener(fetch) as (req: NodeRequest, res: NodeResponse) => Promise<void>;
  const fast = o.fastPath;
  const listener = fast
    ? (req: NodeRequest, res: NodeResponse) =>
        void (fast(req, res, () => void app(req, res)) || app(req, res))
    : app;
  const server: Server | Http2SecureServer = o.tls
    ? createSecureServer({ cert: o.tls.cert, key: o.tls.key, allowHTTP1: true }, listener)
    : createHttpServer(listener);
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
            // HTTP/1.1 keep-alive connections would hold close() open; HTTP/2 sessions end with close().
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
