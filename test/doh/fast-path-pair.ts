// The same DoH app served twice on loopback, with a fast path (counting what it took) and without,
// and a request sent to either as a comparable response (status, headers but Date and connection
// ones, body): test/doh-fast-path.test.ts and test/doh-fast-path-auth.test.ts compare the two.
import type { FastPath } from '../../functions/doh/node-fast-path.ts';
import { serveDoh, type DohListener } from '../../functions/doh/node-server.ts';
import { ORIGIN } from './run-cases.ts';

export interface FastPathPair {
  fast: DohListener;
  app: DohListener;
  /** Requests the fast path answered itself. */
  taken: () => number;
}

export async function fastPathPair(
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>,
  inner: FastPath,
): Promise<FastPathPair> {
  let taken = 0;
  const counted: FastPath = (req, res, declined) => {
    const took = inner(req, res, () => {
      taken--;
      declined();
    });
    if (took) taken++;
    return took;
  };
  const [fast, app] = await Promise.all([
    serveDoh(fetch, { host: '127.0.0.1', port: 0, fastPath: counted }),
    serveDoh(fetch, { host: '127.0.0.1', port: 0 }),
  ]);
  return { fast, app, taken: () => taken };
}

/** `request` (built for ORIGIN) sent to `base`, as a value two responses can be compared by. */
export async function sendTo(
  base: string,
  request: Request,
): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const response = await fetch(request.url.replace(ORIGIN, base), {
    method: request.method,
    headers: request.headers,
    body,
  });
  const headers = [...response.headers].filter(
    ([name]) => !['date', 'connection', 'keep-alive'].includes(name),
  );
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}
