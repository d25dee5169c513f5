// The DoH app on Node: HTTPS with HTTP/2 (RFC 8484 §5.2 recommends HTTP/2) and HTTP/1.1 fallback
// when a certificate is configured; plain HTTP/1.1 otherwise (local use: npm start).
import { createServer as createHttpServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

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
}

/** Serves `fetch` (a hono app's) and resolves once listening. */
export function serveDoh(fetch: (request: Request) => Response | Promise<Response>, o: DohListenOptions): Promise<DohListener> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const listening = (info: AddressInfo) => {
      server.off('error', reject);
      const host = info.address;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        address: { host, port: info.port },
        url: `${o.tls ? 'https' : 'http'}://${shown}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // HTTP/1.1 keep-alive connections would hold close() open; HTTP/2 sessions end with close().
            if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
          }),
      });
    };
    server = o.tls
      ? serve({ fetch, hostname: o.host, port: o.port, createServer: createSecureServer, serverOptions: { cert: o.tls.cert, key: o.tls.key, allowHTTP1: true } }, listening)
      : serve({ fetch, hostname: o.host, port: o.port, createServer: createHttpServer }, listening);
    server.once('error', reject);
  });
}
