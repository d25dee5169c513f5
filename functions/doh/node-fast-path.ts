// The commonest DoH requests on Node, answered straight on the Node request and response: a wire
// GET `/dns-query?dns=<base64url>` or a wire POST to `/dns-query` (RFC 8484 §4.1) whose answer is
// a DNS answer. Building a fetch Request and Response for it, and routing it through hono, costs
// more than resolving it. A POST body read here and then declined is handed to the app as
// `rawBody`, which @hono/node-server reads in place of the consumed stream.
//
// Everything else (JSON, /resolve, path tokens, every 4xx, a resolver that throws) is declined
// and goes to the hono app (app.ts), which stays the one definition of the DoH surface: the fast
// path answers only what the app would answer with 200, with the same headers and bytes
// (node-fast-path.test.ts compares the two on the DoH case table's requests).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { decodeBase64Url } from './base64url.ts';
import { cacheControl } from './cache-control.ts';
import { MAX_BODY, MAX_URL } from './http-limits.ts';
import { DNS_MESSAGE, wantsJson } from './media-types.ts';

export type NodeRequest = IncomingMessage | Http2ServerRequest;

/**
 * The core's resolveNow(query, 'https', ctx): a cached answer comes back synchronously. `req` is
 * the request (its socket is the client: the container observes queries by it).
 */
export type WireResolve = (
  query: Uint8Array,
  req: NodeRequest,
) => Uint8Array | null | Promise<Uint8Array | null>;

export type NodeResponse = ServerResponse | Http2ServerResponse;

/** Answers the request and returns true, or returns false having touched nothing. */
export type FastPath = (req: NodeRequest, res: NodeResponse, declined: () => void) => boolean;

const PREFIX = '/dns-query?dns=';
const POST_PATH = '/dns-query';
const FORMERR = 1;

/**
 * A fast path for the container's app. `declined` is called when a request taken turns out to
 * need the app after all (the resolver answered FORMERR or failed): it must hand the request to
 * the app, which resolves it again. With auth, `admit` says whether the request's token may be
 * served here (a static token within its budget: token-auth.ts `admitStatic`); JWTs and
 * everything refused go to the app, which answers them.
 */
export function wireFastPath(
  resolve: WireResolve,
  admit?: (req: NodeRequest) => boolean,
): FastPath {
  return (req, res, declined) => {
    const url = req.url;
    if (req.method === 'POST') return post(req, res, declined, resolve, admit);
    if (req.method !== 'GET' || !url || !url.startsWith(PREFIX) || url.length > MAX_URL)
      return false;
    // One parameter only: anything else (name/type, ct, a fragment) is the app's to read.
    if (url.includes('&', PREFIX.length) || url.includes('#', PREFIX.length)) return false;
    if (wantsJson(req.headers.accept)) return false;
    if (admit && !admit(req)) return false;
    const query = decodeBase64Url(url.slice(PREFIX.length));
    if (!query || query.length < 12) return false;
    let answer: ReturnType<WireResolve>;
    try {
      answer = resolve(query, req);
    } catch {
      return false;
    }
    if (answer instanceof Promise) answer.then((wire) => send(res, wire) || declined(), declined);
    else if (!send(res, answer)) return false;
    return true;
  };
}

/**
 * A wire POST with its length given (HTTP/1.1 Content-Length; HTTP/2 clients send it too) and
 * within MAX_BODY: the body is read, resolved and answered here; anything the app must answer
 * (a 4xx, a FORMERR) is declined with the body kept as `rawBody`.
 */
function post(
  req: NodeRequest,
  res: NodeResponse,
  declined: () => void,
  resolve: WireResolve,
  admit?: (req: NodeRequest) => boolean,
): boolean {
  const h = req.headers;
  const length = Number(h['content-length']);
  if (req.url !== POST_PATH || !(length >= 12 && length <= MAX_BODY)) return false;
  if (h['content-type'] !== DNS_MESSAGE || wantsJson(h.accept)) return false;
  if (admit && !admit(req)) return false;
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => {
    const body = Buffer.concat(chunks);
    (req as NodeRequest & { rawBody?: Buffer }).rawBody = body;
    if (body.length !== length) return declined();
    let answer: ReturnType<WireResolve>;
    try {
      answer = resolve(body, req);
    } catch {
      return declined();
    }
    if (answer instanceof Promise) answer.then((wire) => send(res, wire) || declined(), declined);
    else if (!send(res, answer)) declined();
  });
  return true;
}

/** 200 with the app's headers (app.ts answer(), the CORS middleware, Vary), or false for the app. */
function send(res: NodeResponse, wire: Uint8Array | null): boolean {
  if (!wire || (wire[3]! & 0xf) === FORMERR) return false;
  if (res.destroyed) return true; // the client went away while the store was read
  res.writeHead(200, {
    'access-control-allow-origin': '*',
    'cache-control': cacheControl(wire),
    'content-type': DNS_MESSAGE,
    'content-length': wire.length,
    vary: 'Accept',
  });
  res.end(wire);
  return true;
}
