// The Lambda's secret variables (EDGE_DNS_TOKENS, and any other edge variable) read at init from
// an SSM SecureString parameter (EDGE_DNS_SECRETS_PARAMETER; AmazonSSM.GetParameter with
// WithDecryption) or a Secrets Manager secret (EDGE_DNS_SECRETS_ID;
// secretsmanager.GetSecretValue), so that none is written into the function's template
// (functions/entry/README.md "Secrets"). The calls are the DynamoDB reads' signed fetches
// (functions/store/aws/aws-json-client.ts): a deadline per attempt and one retry. What fails is
// a ConfigError naming the variable, the parameter and the reason, and the init fails with it.
import { ConfigError } from '../../common/config/config-error.ts';
import { awsJsonClient, AwsJsonError, type AwsCredentials } from '../store/aws/aws-json-client.ts';
import { given, httpUrl, Invalid, matching, region, type Check } from './edge-env-checks.ts';
import { secretValues } from './edge-secret-values.ts';

/** Worst case about 3 s (two attempts and a backoff), inside Lambda's 10 s init. */
const MAX_ATTEMPTS = 2;
const ATTEMPT_TIMEOUT_MS = 1500;

interface Source {
  variable: 'EDGE_DNS_SECRETS_PARAMETER' | 'EDGE_DNS_SECRETS_ID';
  what: string;
  check: Check<string>;
  service: 'ssm' | 'secretsmanager';
  targetPrefix: string;
  operation: string;
  endpointVariable: string;
  request: (id: string) => unknown;
  /** The secret's text from the answer, or why there is none. */
  text: (answer: unknown) => string | Invalid;
}

const SOURCES: Source[] = [
  {
    variable: 'EDGE_DNS_SECRETS_PARAMETER',
    what: 'SSM parameter',
    check: matching(
      /^(arn:[a-z-]+:ssm:[a-z0-9-]+:\d{12}:parameter\/)?[a-zA-Z0-9_.\-/]{1,2048}$/,
      'expected an SSM parameter name such as /edge-dns/prod, or its ARN',
    ),
    service: 'ssm',
    targetPrefix: 'AmazonSSM',
    operation: 'GetParameter',
    endpointVariable: 'EDGE_DNS_SSM_ENDPOINT',
    request: (Name) => ({ Name, WithDecryption: true }),
    text: (answer) => {
      const p = (answer as { Parameter?: { Type?: unknown; Value?: unknown } }).Parameter;
      if (p?.Type !== 'SecureString')
        return new Invalid(
          `is a ${String(p?.Type)} parameter: store the secrets as a SecureString`,
        );
      return typeof p.Value === 'string' ? p.Value : new Invalid('the answer has no value');
    },
  },
  {
    variable: 'EDGE_DNS_SECRETS_ID',
    what: 'Secrets Manager secret',
    check: matching(
      /^[A-Za-z0-9/_+=.@:-]{1,2048}$/,
      'expected a Secrets Manager secret name or ARN',
    ),
    service: 'secretsmanager',
    targetPrefix: 'secretsmanager',
    operation: 'GetSecretValue',
    endpointVariable: 'EDGE_DNS_SECRETSMANAGER_ENDPOINT',
    request: (SecretId) => ({ SecretId }),
    text: (answer) => {
      const s = (answer as { SecretString?: unknown }).SecretString;
      return typeof s === 'string' ? s : new Invalid('has no SecretString (a binary secret?)');
    },
  },
];

/**
 * `env` with the variables of the secret it names added, or `env` itself when it names none.
 * Throws ConfigError: a bad or conflicting variable, a secret that cannot be read in time, or
 * one whose text is not a JSON object of edge variables.
 */
export async function withEdgeSecrets(
  env: Record<string, unknown>,
  credentials: () => Promise<AwsCredentials>,
): Promise<Record<string, unknown>> {
  const named = SOURCES.filter((s) => given(env[s.variable]) !== undefined);
  if (named.length === 0) return env;
  const fail = (variable: string, message: string): never => {
    throw new ConfigError(`environment: ${variable}: ${message}`);
  };
  if (named.length > 1)
    fail(named[1]!.variable, `choose one: ${named.map((s) => s.variable).join(' or ')}`);
  const source = named[0]!;
  const id = source.check(String(given(env[source.variable])));
  if (id instanceof Invalid) return fail(source.variable, id.message);
  const endpointText = given(env[source.endpointVariable]);
  const endpoint = endpointText === undefined ? undefined : httpUrl(String(endpointText));
  if (endpoint instanceof Invalid) return fail(source.endpointVariable, endpoint.message);
  // An ARN names its region; else the function's (Lambda sets AWS_REGION).
  const regionText = /^arn:[^:]+:[^:]+:([^:]+):/.exec(id)?.[1] ?? given(env.AWS_REGION);
  const r = region(String(regionText ?? given(env.EDGE_DNS_REGION) ?? ''));
  if (r instanceof Invalid) return fail(source.variable, `no region for the secret: ${r.message}`);

  const call = awsJsonClient({
    service: source.service,
    region: r,
    endpoint: endpoint ?? `https://${source.service}.${r}.amazonaws.com`,
    targetPrefix: source.targetPrefix,
    jsonVersion: '1.1',
    credentials,
    maxAttempts: MAX_ATTEMPTS,
    attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
  });
  const where = `${source.what} ${JSON.stringify(id)}`;
  let answer: unknown;
  try {
    answer = await call(source.operation, source.request(id));
  } catch (e) {
    const why = e instanceof AwsJsonError ? `${e.name}: ${e.message}` : String(e);
    return fail(source.variable, `cannot read ${where}: ${why}`);
  }
  const text = source.text(answer);
  if (text instanceof Invalid) return fail(source.variable, `${where} ${text.message}`);
  const parsed = secretValues(text, env);
  if ('problems' in parsed)
    throw new ConfigError(
      parsed.problems.map((p) => `environment: ${source.variable}: ${where}: ${p}`).join('\n'),
    );
  return { ...env, ...parsed.values };
}
