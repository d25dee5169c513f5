// DynamoDbReads (reads.ts) as the edge bundles make them: a fetch to DynamoDB's JSON protocol
// (AWS DynamoDB API reference, "Low-level API": POST /, X-Amz-Target DynamoDB_20120810.<Op>),
// signed with SigV4 by the SDK's own signer (@smithy/signature-v4) on WebCrypto. It replaces the
// SDK client there, about 100 KB of bundle (bench/README.md "Bundles"). As the SDK's standard
// retry mode: throttling, 5xx, timeouts and network errors are retried after a jittered backoff
// (base 100 ms, 500 ms when throttled); every attempt has a deadline. Whatever still fails throws,
// and the reader answers StoreUnavailableError (SERVFAIL).
import { SignatureV4 } from '@smithy/signature-v4';
import type { DynamoDbReads } from './reads.ts';
import { itemFromWire, itemToWire } from './json-wire.ts';
import { WebSha256 } from './web-sha256.ts';
import type { Item } from './codec.ts';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface HttpReadsOptions {
  region: string;
  /** https://dynamodb.<region>.amazonaws.com unless given (dynalite, DynamoDB Local). */
  endpoint?: string;
  /** The keys, or a function giving them at each signing (read where they live). */
  credentials: Credentials | (() => Promise<Credentials>);
  /** Attempts per read, the first included. */
  maxAttempts: number;
  /** The deadline of one attempt, connection and body included. */
  attemptTimeoutMs: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/** A DynamoDB error answer (or a failed attempt), named as the SDK names it. */
export class DynamoDbHttpError extends Error {
  constructor(
    name: string,
    message: string,
    readonly retryable: boolean,
    readonly throttled = false,
  ) {
    super(message);
    this.name = name;
  }
}

// @smithy/core's service-error-classification: the codes it retries as throttling or transient.
const THROTTLING = new Set([
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT = new Set(['RequestTimeout', 'RequestTimeoutException']);

export function httpReads(opts: HttpReadsOptions): DynamoDbReads {
  const url = new URL(opts.endpoint ?? `https://dynamodb.${opts.region}.amazonaws.com`);
  const signer = new SignatureV4({
    service: 'dynamodb',
    region: opts.region,
    credentials: opts.credentials,
    sha256: WebSha256,
  });
  const fetcher = opts.fetch ?? fetch;

  async function attempt(op: string, body: string): Promise<unknown> {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${op}`,
      },
      body,
    });
    let res: Response;
    let text: string;
    try {
      res = await fetcher(url, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(opts.attemptTimeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      const why = timedOut ? `no answer within ${opts.attemptTimeoutMs} ms` : describe(e);
      throw new DynamoDbHttpError(timedOut ? 'TimeoutError' : 'NetworkError', why, true);
    }
    if (res.ok) return JSON.parse(text);
    const { __type, message, Message } = parseError(text);
    const code = __type?.split('#').pop() || `HTTP${res.status}`;
    const throttled = THROTTLING.has(code) || res.status === 429;
    const retryable = throttled || TRANSIENT.has(code) || res.status >= 500;
    const why = message ?? Message ?? `HTTP ${res.status}`;
    throw new DynamoDbHttpError(code, why, retryable, throttled);
  }

  async function call(op: string, input: unknown): Promise<unknown> {
    const body = JSON.stringify(input);
    for (let n = 1; ; n++) {
      try {
        return await attempt(op, body);
      } catch (e) {
        if (!(e instanceof DynamoDbHttpError) || !e.retryable || n >= opts.maxAttempts) throw e;
        // Full jitter (the SDK's StandardRetryStrategy): at most base * 2^(n-1), capped at 20 s.
        const cap = Math.min(20_000, (e.throttled ? 500 : 100) * 2 ** (n - 1));
        await new Promise((r) => setTimeout(r, Math.random() * cap));
      }
    }
  }

  return {
    async getItem(input) {
      const out = (await call('GetItem', { ...input, Key: itemToWire(input.Key) })) as {
        Item?: unknown;
      };
      return out.Item ? { Item: itemFromWire(out.Item) } : {};
    },
    async batchGetItem(input) {
      const requestItems: Record<string, unknown> = {};
      for (const [table, r] of Object.entries(input.RequestItems))
        requestItems[table] = { ...r, Keys: r.Keys.map(itemToWire) };
      const out = (await call('BatchGetItem', { RequestItems: requestItems })) as {
        Responses?: Record<string, unknown[]>;
        UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
      };
      const responses: Record<string, Item[]> = {};
      for (const [table, items] of Object.entries(out.Responses ?? {}))
        responses[table] = items.map(itemFromWire);
      const unprocessed: Record<string, { Keys?: Item[] }> = {};
      for (const [table, r] of Object.entries(out.UnprocessedKeys ?? {}))
        unprocessed[table] = { Keys: (r.Keys ?? []).map(itemFromWire) };
      return { Responses: responses, UnprocessedKeys: unprocessed };
    },
  };
}

function parseError(text: string): { __type?: string; message?: string; Message?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}
