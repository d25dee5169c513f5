// The Cloudflare Workers entry (module syntax): the bindings -> config -> DynamoDB client -> the
// edge DoH app, built once per isolate and reused by every request it serves (the lookup cache
// lives as long as the isolate). A configuration error answers 500 naming the binding, on every
// request, until the Worker is redeployed with good settings.
//
// Reads are fetches signed with the credentials from the bindings
// (functions/store/dynamodb/http-reads.ts), not the SDK client; nothing reads files.
import type { ExecutionContext, Hono } from 'hono';
import { edgeConfigFromEnv } from './edge-config.ts';
import { edgeApp } from './edge-app.ts';
import { edgeBudgets } from './edge-deadline.ts';
import { httpReads } from '../store/dynamodb/http-reads.ts';

type Bindings = Record<string, unknown>;
type Built = { app: Hono } | { error: string };

/** A secret binding (wrangler secret put NAME), required. */
function secret(env: Bindings, name: string): string {
  const value = env[name];
  if (typeof value !== 'string' || value === '')
    throw new Error(`${name} is not set (wrangler secret put ${name})`);
  return value;
}

function build(env: Bindings): Built {
  try {
    const config = edgeConfigFromEnv(env);
    const sessionToken =
      typeof env.AWS_SESSION_TOKEN === 'string' && env.AWS_SESSION_TOKEN !== ''
        ? env.AWS_SESSION_TOKEN
        : undefined;
    const client = httpReads({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      credentials: {
        accessKeyId: secret(env, 'AWS_ACCESS_KEY_ID'),
        secretAccessKey: secret(env, 'AWS_SECRET_ACCESS_KEY'),
        ...(sessionToken ? { sessionToken } : {}),
      },
      // As the Lambda entry: a share of EDGE_DNS_DEADLINE per read, retries included
      // (edge-deadline.ts); past the deadline the answer is SERVFAIL (the cache still answers
      // names it holds) and the client asks again.
      ...edgeBudgets(config.deadlineMs).read,
    });
    // Metric lines: one JSON line per request by default (EDGE_DNS_METRICS, edge-metrics.ts).
    return { app: edgeApp(config, client, Date.now, { defaultFormat: 'json' }).app };
  } catch (e) {
    const error = `edge-dns: bad configuration: ${e instanceof Error ? e.message : String(e)}`;
    console.error(error);
    return { error };
  }
}

let built: Built | undefined;

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response> {
    built ??= build(env);
    if ('error' in built)
      return new Response(`${built.error}\n`, {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    return built.app.fetch(request, env, ctx);
  },
};
