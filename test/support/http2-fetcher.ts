// A Fetcher (test/doh/run-cases.ts) over a real HTTP/2 connection with TLS: what a DoH client
// does (RFC 8484 §5.2), unlike Node's fetch, which speaks HTTP/1.1.
import { connect, type ClientHttp2Session } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './container.ts';

export interface Http2Fetcher {
  fetch(request: Request): Promise<Response>;
  close(): void;
}

/** Sends every request to `base` (https://127.0.0.1:PORT) on one session, trusting the test certificate. */
export function http2Fetcher(base: string): Http2Fetcher {
  let session: ClientHttp2Session | undefined;
  const open = () => {
    if (!session || session.closed || session.destroyed) {
      session = connect(base, {
        ca: readFileSync(join(REPO_ROOT, 'test/fixtures/tls/localhost.crt')),
      });
      session.on('error', () => {});
    }
    return session;
  };
  return {
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const headers: Record<string, string> = {
        ':method': request.method,
        ':path': url.pathname + url.search,
      };
      request.headers.forEach((value, key) => (headers[key] = value));
      const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
      return new Promise((resolve, reject) => {
        const stream = open().request(headers, { endStream: body === undefined });
        stream.on('error', reject);
        stream.on('response', (h) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(h))
              if (!k.startsWith(':') && v !== undefined)
                out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
            const status = Number(h[':status']);
            const nullBody = status === 204 || status === 304 || request.method === 'HEAD';
            resolve(
              new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: out }),
            );
          });
        });
        if (body !== undefined) stream.end(body);
      });
    },
    close: () => session?.close(),
  };
}
