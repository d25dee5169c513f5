// The DoH app (hono): RFC 8484 wire GET/POST on /dns-query, the JSON API on /resolve and on
// /dns-query with `Accept: application/dns-json`. Every DNS answer is HTTP 200 (RFC 8484 §4.2.1);
// bad HTTP input is a 4xx with a one-line reason; nothing a client sends makes a 5xx.
// The same app runs on Node (the container), Lambda and Workers. See README.md in this folder.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { challenge, bearerToken } from './auth.ts';
import { scopeRefusal, tokenAuthorizer, type TokenAuthOptions } from './token-auth.ts';
import type { TokenScope } from '../auth/token-scope.ts';
import { decodeBase64Url } from './base64url.ts';
import { cacheControl } from './cache-control.ts';
import { MAX_BODY, MAX_URL } from './http-limits.ts';
import { jsonAnswer } from './json-answer.ts';
import { jsonQuery } from './json-query.ts';
import { DNS_JSON, DNS_MESSAGE, wantsJson } from './media-types.ts';
import { readBody } from './read-body.ts';
import { servfail } from './servfail.ts';

export interface DohAppOptions {
  /** Wire query -> wire answer: the core's resolve(query, 'https', ctx) (no truncation over DoH).
   *  null = nothing to answer (too short, or itself a response) -> the app answers 400.
   *  `env` is the runtime's per-request bindings (hono's `c.env`; on Node, @hono/node-server's
   *  `{ incoming, outgoing }`, whose socket is the client): the container observes queries by it. */
  resolve(query: Uint8Array, env?: unknown): Promise<Uint8Array | null>;
  /** The bearer tokens (static, JWTs: token-auth.ts) that may query, or 'public'. Absent = no
   *  auth (the container's default, on loopback). */
  auth?: TokenAuthOptions | 'public';
  /** The clock of JWT expiry and token budgets (milliseconds; default Date.now). */
  now?: () => number;
  /** Told about a resolver that threw (the client got SERVFAIL). Default: console.error. */
  onError?: (error: unknown) => void;
}

const FORMERR = 1;

export function dohApp(options: DohAppOptions): Hono {
  const app = new Hono();
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`edge-dns doh: resolver failed: ${String(error)}`));

  // CORS on every route, so a browser page can call the JSON API (and wire POST) with a token.
  app.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'Accept'],
      maxAge: 86400,
    }),
  );
  app.use('*', async (c, next) => {
    const url = c.req.url;
    const target = url.length - url.indexOf('/', url.indexOf('//') + 2);
    if (target > MAX_URL)
      return problem(
        414,
        `request target longer than ${MAX_URL} characters (use POST for large queries)`,
      );
    await next();
  });

  // A token's scope, from its authorization to its answer.
  const scopes = new WeakMap<Request, TokenScope>();
  const auth = authorize(options.auth, options.now ?? Date.now, scopes);
  const scoped = (c: Context) => scopes.get(c.req.raw);
  const wire = async (c: Context) => handleDnsQuery(c, options, onError, scoped(c));
  app.on(['GET', 'POST'], ['/dns-query', '/dns-query/:token'], auth, wire);
  app.get('/resolve', auth, async (c) => {
    const parsed = jsonQuery(jsonParams(c));
    if ('error' in parsed) return problem(400, parsed.error);
    return answer(parsed.query, true, options, onError, c.env, scoped(c));
  });
  app.all('/dns-query', () => problem(405, 'method not allowed', { Allow: 'GET, POST, OPTIONS' }));
  app.all('/dns-query/:token', () =>
    problem(405, 'method not allowed', { Allow: 'GET, POST, OPTIONS' }),
  );
  app.all('/resolve', () => problem(405, 'method not allowed', { Allow: 'GET, OPTIONS' }));
  app.notFound(() =>
    problem(404, 'not found: DoH is served on /dns-query and the JSON API on /resolve'),
  );
  // Only a bug gets here: every kind of bad input is answered above (test/doh-fuzz.test.ts).
  app.onError((error) => {
    onError(error);
    return problem(500, 'internal error');
  });
  return app;
}

/** 401 before anything is read (RFC 6750 §3), 429 over the token's budget (RFC 6585 §4); the
 *  path token of /dns-query/<token> only with auth. */
function authorize(
  auth: DohAppOptions['auth'],
  now: () => number,
  scopes: WeakMap<Request, TokenScope>,
): MiddlewareHandler {
  const tokens = auth && auth !== 'public' ? tokenAuthorizer(auth) : undefined;
  return async (c, next) => {
    const pathToken = c.req.param('token');
    if (!auth && pathToken !== undefined)
      return problem(404, 'not found: this server takes no token');
    if (tokens) {
      const verdict = await tokens.authorize(
        pathToken ?? bearerToken(c.req.header('authorization')),
        now(),
      );
      if (!verdict.ok && verdict.status === 401)
        return problem(
          401,
          verdict.outcome === 'missing' ? 'a bearer token is required' : 'invalid token',
          { 'WWW-Authenticate': challenge(verdict.outcome) },
        );
      if (!verdict.ok)
        return problem(429, 'too many requests for this token', {
          'Retry-After': String(verdict.retryAfter),
        });
      if (verdict.scope) scopes.set(c.req.raw, verdict.scope);
    }
    await next();
  };
}

/** /dns-query: the query from `dns` (GET), the body (POST), or name/type (JSON GET). */
async function handleDnsQuery(
  c: Context,
  options: DohAppOptions,
  onError: (error: unknown) => void,
  scope: TokenScope | undefined,
): Promise<Response> {
  const json = wantsJson(c.req.header('accept'));
  let query: Uint8Array;
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== DNS_MESSAGE)
      return problem(415, `POST needs Content-Type: ${DNS_MESSAGE} (RFC 8484 §4.1)`, {
        Accept: DNS_MESSAGE,
      });
    let body: Uint8Array | 'too-large';
    try {
      body = await readBody(c.req.raw, MAX_BODY);
    } catch {
      return problem(400, 'the request body could not be read');
    }
    if (body === 'too-large')
      return problem(413, `body larger than ${MAX_BODY} bytes, the largest DNS message`);
    query = body;
  } else {
    const dns = c.req.query('dns');
    if (dns === undefined) {
      if (!json) return problem(400, 'missing dns parameter (RFC 8484 §4.1)');
      const parsed = jsonQuery(jsonParams(c));
      if ('error' in parsed) return problem(400, parsed.error);
      query = parsed.query;
    } else {
      const decoded = decodeBase64Url(dns);
      if (!decoded)
        return problem(400, 'dns parameter is not base64url without padding (RFC 8484 §4.1)');
      query = decoded;
    }
  }
  const response = await answer(query, json, options, onError, c.env, scope);
  response.headers.set('Vary', 'Accept');
  return response;
}

const jsonParams = (c: Context) => ({
  name: c.req.query('name'),
  type: c.req.query('type'),
  cd: c.req.query('cd'),
  do: c.req.query('do'),
});

/** Resolves and renders: 200 for every DNS answer; 400 for what is not a well-formed query. */
async function answer(
  query: Uint8Array,
  json: boolean,
  options: DohAppOptions,
  onError: (error: unknown) => void,
  env: unknown,
  scope?: TokenScope,
): Promise<Response> {
  if (query.length < 12)
    return problem(400, 'DNS message shorter than its 12-byte header (RFC 1035 §4.1.1)');
  let wire: Uint8Array | null;
  const refusal =
    scope &&
    scopeRefusal(query, scope, options.auth !== 'public' ? options.auth?.scope : undefined);
  try {
    wire = refusal ?? (await options.resolve(query, env));
  } catch (error) {
    onError(error);
    wire = servfail(query);
  }
  if (!wire) return problem(400, 'not a DNS query (QR set: a response)');
  // The resolver answers FORMERR for what it cannot parse; over HTTP that is a 400 (RFC 8484 §4.2.1).
  if ((wire[3]! & 0xf) === FORMERR) return problem(400, 'malformed DNS query (FORMERR)');
  const headers = { 'Cache-Control': cacheControl(wire) };
  if (!json)
    return new Response(toArrayBuffer(wire), {
      status: 200,
      headers: { ...headers, 'Content-Type': DNS_MESSAGE },
    });
  let body: string;
  try {
    body = JSON.stringify(jsonAnswer(wire));
  } catch (error) {
    onError(error);
    body = JSON.stringify(jsonAnswer(servfail(query)!));
  }
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': DNS_JSON } });
}

/** Exactly the bytes of the view, as a body every runtime takes. */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : new Uint8Array(bytes).buffer; // a copy (Buffer#slice would be a view)
}

/** An HTTP error: status, a one-line reason as text, never cached. */
function problem(status: number, reason: string, headers: Record<string, string> = {}): Response {
  return new Response(`${reason}\n`, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}
