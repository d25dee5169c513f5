// The AWS Lambda entry: the edge DoH app behind a Function URL or an API Gateway HTTP API (payload
// format 2.0 events; hono/aws-lambda decodes base64 request bodies and base64-encodes binary
// responses such as application/dns-message).
//
// Configuration comes from the environment (functions/entry/edge-config.ts), its secret variables
// from an SSM parameter or a Secrets Manager secret when one is named (edge-secrets.ts; top-level
// await: the bundle is ESM), and is checked at init. A bad configuration, or secrets that cannot
// be read, logs one line naming the variable, then fails the init: Lambda reports
// Runtime.ImportModuleError / an init error with that message, the Errors metric and alarms see
// it, and the Function URL answers 502, instead of a function that looks healthy but answers 500.
import { httpReads } from '../store/dynamodb/http-reads.ts';
import { handle } from 'hono/aws-lambda';
import { edgeConfigFromEnv, type EdgeConfig } from './edge-config.ts';
import { edgeApp } from './edge-app.ts';
import { edgeBudgets } from './edge-deadline.ts';
import { withEdgeSecrets } from './edge-secrets.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (Lambda sets the execution role's keys)`);
  return value;
};
/** The execution role's keys (see below), for the secrets and the reads. */
const roleCredentials = async () => ({
  accessKeyId: env('AWS_ACCESS_KEY_ID'),
  secretAccessKey: env('AWS_SECRET_ACCESS_KEY'),
  ...(process.env.AWS_SESSION_TOKEN && { sessionToken: process.env.AWS_SESSION_TOKEN }),
});

let config: EdgeConfig;
try {
  config = edgeConfigFromEnv(await withEdgeSecrets(process.env, roleCredentials));
} catch (error) {
  console.error(`edge-dns lambda: bad configuration:\n${(error as Error).message}`);
  throw error;
}

// Credentials: the function's execution role, from the variables Lambda sets (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; AWS Lambda docs, "Defined runtime environment
// variables"), read at each signing as the SDK's env provider reads them: missing ones fail the
// read (SERVFAIL), not the init. Reads are signed fetches (functions/store/dynamodb/http-reads.ts),
// not the SDK client. Each read's attempts and deadline are a share of EDGE_DNS_DEADLINE
// (edge-deadline.ts; in-region DynamoDB answers in milliseconds): a query waits for this read,
// the cache answers stale names on failure, and the answer is SERVFAIL past the deadline.
const client = httpReads({
  region: config.region,
  ...(config.endpoint && { endpoint: config.endpoint }),
  credentials: roleCredentials,
  ...edgeBudgets(config.deadlineMs).read,
});

/** One app, and so one lookup cache, per instance: it lives as long as the instance. */
// Metric lines: CloudWatch Embedded Metric Format by default (EDGE_DNS_METRICS, edge-metrics.ts).
export const handler = handle(edgeApp(config, client, Date.now, { defaultFormat: 'emf' }).app);
