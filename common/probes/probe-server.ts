// Liveness and readiness over HTTP for Kubernetes probes (the CoreDNS `health` and `ready`
// plugins' roles): GET /health is 200 while the process serves; GET /ready is 200 once the
// records are trusted (first full list done, store reachable), 503 with the reason before.
// One server answers both paths, or each its own port (CoreDNS: health :8080, ready :8181).
import { listenHttp, textReply, type SmallHttpServer } from '../http/small-http-server.ts';

export interface Readiness {
  /** undefined when ready, else why not (one line). */
  notReady(): string | undefined;
}

export type ProbePath = '/health' | '/ready';

export interface ProbeServer extends SmallHttpServer {
  /** Which paths it answers from now on (a reload that moves /ready to its own port). */
  setPaths(paths: readonly ProbePath[]): void;
}

export async function serveProbes(
  host: string,
  port: number,
  readiness: Readiness,
  paths: readonly ProbePath[] = ['/health', '/ready'],
): Promise<ProbeServer> {
  let served = new Set<string>(paths);
  const server = await listenHttp(host, port, (path, res) => {
    if (path === '/health' && served.has(path)) {
      textReply(res, 200, 'OK\n');
    } else if (path === '/ready' && served.has(path)) {
      const reason = readiness.notReady();
      textReply(
        res,
        reason === undefined ? 200 : 503,
        reason === undefined ? 'OK\n' : `not ready: ${reason}\n`,
      );
    } else {
      textReply(res, 404, `not found: try ${[...served].join(' or ')}\n`);
    }
  });
  return { ...server, setPaths: (next) => void (served = new Set(next)) };
}
