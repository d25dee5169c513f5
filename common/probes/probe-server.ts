// Liveness and readiness over HTTP for Kubernetes probes (the CoreDNS `health` and `ready`
// plugins' roles): GET /health is 200 while the process serves; GET /ready is 200 once the
// records are trusted (first full list done, store reachable), 503 with the reason before.
// One server answers both paths, or each its own port (CoreDNS: health :8080, ready :8181).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Readiness {
  /** undefined when ready, else why not (one line). */
  notReady(): string | undefined;
}

export type ProbePath = '/health' | '/ready';

export interface ProbeServer {
  address: { host: string; port: number };
  /** Which paths it answers from now on (a reload that moves /ready to its own port). */
  setPaths(paths: readonly ProbePath[]): void;
  close(): Promise<void>;
}

export async function serveProbes(
  host: string,
  port: number,
  readiness: Readiness,
  paths: readonly ProbePath[] = ['/health', '/ready'],
): Promise<ProbeServer> {
  let served = new Set<string>(paths);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('method not allowed\n');
      return;
    }
    if (path === '/health' && served.has(path)) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK\n');
    } else if (path === '/ready' && served.has(path)) {
      const reason = readiness.notReady();
      if (reason === undefined) res.writeHead(200, { 'content-type': 'text/plain' }).end('OK\n');
      else res.writeHead(503, { 'content-type': 'text/plain' }).end(`not ready: ${reason}\n`);
    } else {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`not found: try ${[...served].join(' or ')}\n`);
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    address: { host: a.address, port: a.port },
    setPaths: (next) => void (served = new Set(next)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
