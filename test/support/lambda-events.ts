// A fetch Request as AWS Lambda hands it to a function, and the function's result back as a
// Response, so the shared DoH case table runs against the Lambda handler unchanged.
// Both event sources use the payload format 2.0 (AWS docs: "Lambda function URLs: invoking",
// request and response payloads; API Gateway: "Working with AWS Lambda proxy integrations for
// HTTP APIs", format 2.0). The documented examples, as these sources send a DoH query, are
// test/fixtures/lambda/*.json; each request is that template with its own request fields:
// - header names lowercased, repeated headers joined with commas, cookies moved to `cookies`;
// - `rawPath` / `rawQueryString` as sent; `queryStringParameters` decoded, repeats comma-joined,
//   absent without a query string;
// - the body as text for text media types, otherwise base64 with `isBase64Encoded: true`;
//   absent when empty.
// The result: `statusCode`, `headers`, `cookies`, `body` (base64 when `isBase64Encoded`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type EventShape = 'function-url' | 'http-api';

export interface V2Event {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    [more: string]: unknown;
  };
  body?: string;
  isBase64Encoded: boolean;
  [more: string]: unknown;
}

export interface LambdaResult {
  statusCode: number;
  headers?: Record<string, string | undefined>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** The Lambda context object's fields (AWS docs: "Using the Lambda context object ... in Node.js"). */
export interface LambdaContextLike {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler = (event: V2Event, context: LambdaContextLike) => Promise<LambdaResult>;

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'lambda');
const FILES: Record<EventShape, string> = {
  'function-url': 'function-url.json',
  'http-api': 'http-api-v2.json',
};

/** The documented event example of `shape`, as stored (a DoH query for kubernetes.default). */
export function eventFixture(shape: EventShape): V2Event {
  return JSON.parse(readFileSync(join(FIXTURES, FILES[shape]), 'utf8')) as V2Event;
}

/** Function URLs and HTTP APIs pass these bodies as text; anything else base64-encoded. */
const TEXT =
  /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|yaml|x-www-form-urlencoded)\b)/i;

let sequence = 0;

export async function toEvent(request: Request, shape: EventShape): Promise<V2Event> {
  const event = eventFixture(shape);
  const url = new URL(request.url);
  const headers: Record<string, string> = {
    host: event.requestContext.domainName,
    'x-forwarded-proto': 'https',
    'x-forwarded-port': '443',
    'x-forwarded-for': event.requestContext.http.sourceIp,
  };
  const cookies: string[] = [];
  request.headers.forEach((value, name) => {
    if (name === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name] = value; // Headers joins repeats with ", "
  });
  const body = new Uint8Array(await request.arrayBuffer());
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams)
    query[k] = Object.hasOwn(query, k) ? `${query[k]},${v}` : v;

  event.rawPath = url.pathname;
  event.rawQueryString = url.search.slice(1);
  event.headers = headers;
  delete event.queryStringParameters;
  if (url.search.length > 1) event.queryStringParameters = query;
  delete event.cookies;
  if (cookies.length > 0) event.cookies = cookies;
  const id = `req-${++sequence}`;
  const now = Date.now();
  Object.assign(event.requestContext, { requestId: id, timeEpoch: now });
  Object.assign(event.requestContext.http, {
    method: request.method,
    path: url.pathname,
    userAgent: headers['user-agent'] ?? '',
  });
  delete event.body;
  event.isBase64Encoded = false;
  if (body.length > 0) {
    const text = TEXT.test(headers['content-type'] ?? '');
    event.body = text ? new TextDecoder().decode(body) : Buffer.from(body).toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

export function fromResult(result: LambdaResult): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(result.headers ?? {})) if (v !== undefined) headers.set(k, v);
  for (const c of result.cookies ?? []) headers.append('set-cookie', c);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  const empty = [101, 204, 205, 304].includes(result.statusCode);
  return new Response(empty ? null : body, { status: result.statusCode, headers });
}

export function lambdaContext(): LambdaContextLike {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'edge-dns-doh',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:edge-dns-doh',
    memoryLimitInMB: '256',
    awsRequestId: `aws-req-${sequence}`,
    logGroupName: '/aws/lambda/edge-dns-doh',
    logStreamName: '2024/05/15/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
  };
}

/** Request -> event -> handler(event, context) -> Response. */
export function lambdaFetcher(
  handler: LambdaHandler,
  shape: EventShape,
): (request: Request) => Promise<Response> {
  return async (request) =>
    fromResult(await handler(await toEvent(request, shape), lambdaContext()));
}
