// The small plain-HTTP servers the container and the sync run beside DNS (CoreDNS `health`,
// `ready`, `prometheus`): bound before the caller goes on (a busy port stops start-up with its
// error), answered with a short text line, closed at once with their idle keep-alive connections.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SmallHttpServer {
  address: { host: string; port: number };
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (port 0: any free port) with `handle` for GET and HEAD; other methods get
 * 405. `path` is the request's path without its query string.
 */
export async function listenHttp(
  host: string,
  port: number,
  handle: (path: string, res: ServerResponse, req: IncomingMessage) => void,
): Promise<SmallHttpServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      textReply(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    handle((req.url ?? '/').split('?')[0]!, res, req);
  });
  // Probes and scrapes reconnect at will; an idle connection is not kept long.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    address: { host: a.address, port: a.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A plain-text answer. */
export function textReply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
}
