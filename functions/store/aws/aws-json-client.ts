// Calls to an AWS service's JSON protocol (awsJson1_0: DynamoDB; awsJson1_1: SSM, Secrets
// Manager; POST /, X-Amz-Target <prefix>.<Operation>) as the edge bundles make them: a fetch
// signed with SigV4 by aws4fetch's signer on WebCrypto, without an SDK client
// (docs/architecture.md §7). As the SDK's standard retry mode: throttling, 5xx, timeouts
// and network errors are retried after a jittered backoff (base 100 ms, 500 ms when throttled);
// every attempt has a deadline. Whatever still fails throws an AwsJsonError.
import { AwsV4Signer } from 'aws4fetch';

export type AwsCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

export interface AwsJsonClientOptions {
  /** The signing name: dynamodb, ssm, secretsmanager. */
  service: string;
  region: string;
  /** The service's endpoint, e.g. https://ssm.<region>.amazonaws.com. */
  endpoint: string;
  /** The X-Amz-Target prefix: DynamoDB_20120810, AmazonSSM, secretsmanager. */
  targetPrefix: string;
  /** The protocol's content type version: 1.0 (DynamoDB) or 1.1 (SSM, Secrets Manager). */
  jsonVersion: '1.0' | '1.1';
  /** The keys, or a function giving them at each signing (read where they live). */
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** The deadline of one attempt, connection and body included. */
  attemptTimeoutMs: number;
  /** The deadline of one call, every attempt and backoff included: an attempt gets at most what
   *  is left, and no retry starts past it (docs/architecture.md §5.7). Absent: attempts alone. */
  deadlineMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/** A service's error answer (or a failed attempt), named as the SDK names it. */
export class AwsJsonError extends Error {
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

/** A retry needs at least this long before the call's deadline to be worth starting. */
const MIN_ATTEMPT_MS = 20;

/** `(operation, input) -> the parsed answer`: one signed call, retried as above. */
export type AwsJsonCall = (operation: string, input: unknown) => Promise<unknown>;

export function awsJsonClient(opts: AwsJsonClientOptions): AwsJsonCall {
  const url = new URL(opts.endpoint);
  const keys = opts.credentials;
  const fetcher = opts.fetch ?? fetch;

  async function attempt(operation: string, body: string, timeoutMs: number): Promise<unknown> {
    const credentials = typeof keys === 'function' ? await keys() : keys;
    const signed = await new AwsV4Signer({
      method: 'POST',
      url: url.href,
      headers: {
        'content-type': `application/x-amz-json-${opts.jsonVersion}`,
        'x-amz-target': `${opts.targetPrefix}.${operation}`,
      },
      body,
      service: opts.service,
      region: opts.region,
      ...credentials,
    }).sign();
    let res: Response;
    let text: string;
    try {
      res = await fetcher(url, {
        method: 'POST',
        headers: signed.headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      const why = timedOut ? `no answer within ${timeoutMs} ms` : describe(e);
      throw new AwsJsonError(timedOut ? 'TimeoutError' : 'NetworkError', why, true);
    }
    if (res.ok) return JSON.parse(text);
    const { __type, message, Message } = parseError(text);
    const code = __type?.split('#').pop() || `HTTP${res.status}`;
    const throttled = THROTTLING.has(code) || res.status === 429;
    const retryable = throttled || TRANSIENT.has(code) || res.status >= 500;
    const why = message ?? Message ?? `HTTP ${res.status}`;
    throw new AwsJsonError(code, why, retryable, throttled);
  }

  return async (operation, input) => {
    const body = JSON.stringify(input);
    const end = opts.deadlineMs === undefined ? Infinity : Date.now() + opts.deadlineMs;
    for (let n = 1; ; n++) {
      try {
        return await attempt(operation, body, Math.min(opts.attemptTimeoutMs, end - Date.now()));
      } catch (e) {
        if (!(e instanceof AwsJsonError) || !e.retryable || n >= opts.maxAttempts) throw e;
        // Full jitter (the SDK's StandardRetryStrategy): at most base * 2^(n-1), capped at 20 s.
        const cap = Math.min(20_000, (e.throttled ? 500 : 100) * 2 ** (n - 1));
        const wait = Math.random() * cap;
        if (Date.now() + wait + MIN_ATTEMPT_MS > end) throw e; // no time left for another try
        await new Promise((r) => setTimeout(r, wait));
      }
    }
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
