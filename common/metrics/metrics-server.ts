// Prometheus exposition over HTTP (the CoreDNS `prometheus` plugin's role): GET /metrics answers
// the registry in the text format; the container and the sync each serve their own registry.
import type { Registry } from 'prom-client';
import { listenHttp, textReply, type SmallHttpServer } from '../http/small-http-server.ts';

export type MetricsServer = SmallHttpServer;

export function serveMetrics(
  host: string,
  port: number,
  registry: Registry,
): Promise<MetricsServer> {
  return listenHttp(host, port, (path, res) => {
    if (path !== '/metrics') {
      textReply(res, 404, 'not found: try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => textReply(res, 500, `metrics failed: ${String(error)}\n`),
    );
  });
}
