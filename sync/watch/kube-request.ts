// One GET to the Kubernetes API with the kubeconfig's credentials (token, client certificate, CA,
// skipTLSVerify), over node:http(s). The list and the watch stream use it instead of client-node's
// fetch-based calls so that both can be aborted at any moment, including before the response
// headers arrive (client-node 1.4's Watch cannot be aborted then, and has no idle timeout).
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A failed API call; `statusCode` is the HTTP status when there was one (client-node reads it: 410 means re-list). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Opens `GET path?query` and resolves once the response headers arrive. `signal` aborts it at any point. */
export async function kubeGet(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string>,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new KubeApiError('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const options: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options); // agent (TLS settings), Authorization header, basic auth
  signal.throwIfAborted();
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      ...options,
      method: 'GET',
      signal,
      headers: { ...options.headers, accept: 'application/json' },
    });
    request.once('response', resolve);
    request.on('error', reject); // also after the response: an abort must not go unhandled
    request.end();
  });
}

/** Reads a whole response body as text. */
export async function readBody(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The error for a non-200 answer: status code plus the `message` of the Status object it carries. */
export async function statusError(
  what: string,
  response: http.IncomingMessage,
): Promise<KubeApiError> {
  const code = response.statusCode ?? 0;
  let message = response.statusMessage ?? '';
  try {
    const status = JSON.parse(await readBody(response)) as { message?: unknown };
    if (typeof status.message === 'string') message = status.message;
  } catch {
    // not a Status object: keep the HTTP reason phrase
  }
  return new KubeApiError(`${what}: ${code}${message ? ` ${message}` : ''}`, code);
}

/** A short text for a log line: the message, plus the code of a system error. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
