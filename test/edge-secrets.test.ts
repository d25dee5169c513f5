// The Lambda's secrets (functions/entry/edge-secrets.ts) through the BUILT bundle: an instance
// started with EDGE_DNS_SECRETS_PARAMETER (or EDGE_DNS_SECRETS_ID) reads its EDGE_DNS_TOKENS at
// init from a local SSM (or Secrets Manager) speaking the JSON protocol, with a request the server
// checks is SigV4-signed for that service with the right X-Amz-Target; it then answers the token
// and refuses without it. A missing parameter, a denied one, a stalled endpoint or a bad value
// fails the init with one line naming the variable and the parameter, never the value. The
// Worker's secrets are bindings: wrangler.toml's [vars] hold none.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { ORIGIN } from './doh/run-cases.ts';
import { REPO_ROOT, SAMPLE_CLUSTER } from './support/container.ts';
import { startAwsSecretsServer } from './support/aws-secrets-server.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  publishedTable,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher } from './support/lambda-events.ts';

const TOKEN = 'secret-test-token-0123456789';
const PARAMETER = '/edge-dns/ci';
const SECRET_ID = 'edge-dns/ci';
/** Lambda's init phase limit: a stalled secrets endpoint must fail the init well inside it. */
const INIT_LIMIT_MS = 10_000;

const bundle = buildLambdaBundle();
const db = await publishedTable('ci', [SAMPLE_CLUSTER]);
const aws = await startAwsSecretsServer();
after(async () => {
  await aws.close();
  await db.close();
});
setLambdaCredentials();
const lambdaInstance = lambdaInstances(bundle);

const baseEnv = {
  EDGE_DNS_TABLE: db.table,
  EDGE_DNS_CLUSTER: 'ci',
  AWS_REGION: 'us-east-1',
  EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
  EDGE_DNS_METRICS: 'off',
  EDGE_DNS_SSM_ENDPOINT: aws.endpoint,
  EDGE_DNS_SECRETSMANAGER_ENDPOINT: aws.endpoint,
};
const secretsJson = (vars: Record<string, string>) => JSON.stringify(vars);

const query = Buffer.from(
  dnsPacket.encode({
    type: 'query',
    id: 0,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local' }],
  }),
).toString('base64url');

/** The status of a DoH GET through the instance, with `token` as the bearer token if given. */
async function status(env: Record<string, string>, token?: string): Promise<number> {
  const fetcher = lambdaFetcher(await lambdaInstance(env), 'function-url');
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return (await fetcher(new Request(`${ORIGIN}/dns-query?dns=${query}`, { headers }))).status;
}

/** The init's failure: the import's error and the lines it logged (console.error). */
async function initFailure(env: Record<string, string>): Promise<{ message: string; log: string }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    await lambdaInstance(env);
  } catch (e) {
    return { message: (e as Error).message, log: lines.join('\n') };
  } finally {
    console.error = original;
  }
  assert.fail('the init succeeded');
}

test('the token from an SSM SecureString: signed GetParameter, then 200 with it and 401 without', async () => {
  aws.answers.set(PARAMETER, { value: secretsJson({ EDGE_DNS_TOKENS: TOKEN }) });
  aws.requests.length = 0;
  const env = { ...baseEnv, EDGE_DNS_SECRETS_PARAMETER: PARAMETER };
  assert.equal(await status(env, TOKEN), 200);
  assert.deepEqual(aws.requests, [
    {
      target: 'AmazonSSM.GetParameter',
      scope: 'us-east-1/ssm',
      signatureValid: true,
      body: { Name: PARAMETER, WithDecryption: true },
    },
  ]);
  assert.equal(await status(env), 401);
  assert.equal(await status(env, 'wrong-token-0123456789'), 401);
});

test('the token from a Secrets Manager secret: signed GetSecretValue, then 200 with it and 401 without', async () => {
  aws.answers.set(SECRET_ID, {
    value: secretsJson({ EDGE_DNS_TOKENS: `other-token-0123456789,${TOKEN}` }),
  });
  aws.requests.length = 0;
  const env = { ...baseEnv, EDGE_DNS_SECRETS_ID: SECRET_ID };
  assert.equal(await status(env, TOKEN), 200);
  assert.deepEqual(aws.requests, [
    {
      target: 'secretsmanager.GetSecretValue',
      scope: 'us-east-1/secretsmanager',
      signatureValid: true,
      body: { SecretId: SECRET_ID },
    },
  ]);
  assert.equal(await status(env), 401);
});

test('an ARN names the region the request is signed for', async () => {
  const arn = 'arn:aws:ssm:eu-west-1:123456789012:parameter/edge-dns/ci';
  aws.answers.set(arn, { value: secretsJson({ EDGE_DNS_TOKENS: TOKEN }) });
  aws.requests.length = 0;
  assert.equal(await status({ ...baseEnv, EDGE_DNS_SECRETS_PARAMETER: arn }, TOKEN), 200);
  assert.deepEqual(
    aws.requests.map((r) => [r.scope, r.signatureValid]),
    [['eu-west-1/ssm', true]],
  );
});

// Each row: the answer for the parameter (or the environment), and what the init's line says.
const failures: [string, Record<string, string>, RegExp][] = [
  [
    'a missing parameter',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/missing' },
    /EDGE_DNS_SECRETS_PARAMETER: cannot read SSM parameter "\/edge-dns\/missing": ParameterNotFound/,
  ],
  [
    'access denied',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/denied' },
    /EDGE_DNS_SECRETS_PARAMETER: cannot read SSM parameter "\/edge-dns\/denied": AccessDeniedException/,
  ],
  [
    'a missing secret',
    { EDGE_DNS_SECRETS_ID: 'edge-dns/missing' },
    /EDGE_DNS_SECRETS_ID: cannot read Secrets Manager secret "edge-dns\/missing": ResourceNotFoundException/,
  ],
  [
    'a String parameter, not a SecureString',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/plain' },
    /EDGE_DNS_SECRETS_PARAMETER: SSM parameter "\/edge-dns\/plain" is a String parameter: store the secrets as a SecureString/,
  ],
  [
    'a value that is not JSON',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/lines' },
    /EDGE_DNS_SECRETS_PARAMETER: SSM parameter "\/edge-dns\/lines": expected a JSON object of variables/,
  ],
  [
    'a key that is not an edge variable',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/aws-keys' },
    /"\/edge-dns\/aws-keys": key "AWS_SECRET_ACCESS_KEY": expected an edge variable name/,
  ],
  [
    'a token set in the environment too',
    { EDGE_DNS_SECRETS_PARAMETER: PARAMETER, EDGE_DNS_TOKENS: 'env-token-0123456789' },
    /"\/edge-dns\/ci": EDGE_DNS_TOKENS: also set in the environment: set it in one place/,
  ],
  [
    'a secret with no token, and not public: closed by default',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/no-token' },
    /environment: EDGE_DNS_TOKENS: required/,
  ],
  [
    'a bad token in the secret: named, not repeated',
    { EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/short-token' },
    /environment: EDGE_DNS_TOKENS\[0\]: expected a token of at least 16 characters/,
  ],
  [
    'both sources',
    { EDGE_DNS_SECRETS_PARAMETER: PARAMETER, EDGE_DNS_SECRETS_ID: SECRET_ID },
    /EDGE_DNS_SECRETS_ID: choose one: EDGE_DNS_SECRETS_PARAMETER or EDGE_DNS_SECRETS_ID/,
  ],
  [
    'an endpoint that is not an http(s) URL',
    { EDGE_DNS_SECRETS_PARAMETER: PARAMETER, EDGE_DNS_SSM_ENDPOINT: 'ftp://127.0.0.1' },
    /EDGE_DNS_SSM_ENDPOINT: expected an http\(s\) URL/,
  ],
];

test('a secret that cannot be read or used fails the init with a line naming it', async () => {
  aws.answers.set('/edge-dns/denied', { error: 'AccessDeniedException' });
  aws.answers.set('/edge-dns/plain', {
    value: secretsJson({ EDGE_DNS_TOKENS: TOKEN }),
    type: 'String',
  });
  aws.answers.set('/edge-dns/lines', { value: `EDGE_DNS_TOKENS=${TOKEN}` });
  aws.answers.set('/edge-dns/aws-keys', { value: secretsJson({ AWS_SECRET_ACCESS_KEY: TOKEN }) });
  aws.answers.set('/edge-dns/no-token', {
    value: secretsJson({ EDGE_DNS_ZONES: 'cluster.local' }),
  });
  aws.answers.set('/edge-dns/short-token', {
    value: secretsJson({ EDGE_DNS_TOKENS: 'short-secret' }),
  });
  aws.answers.set(PARAMETER, { value: secretsJson({ EDGE_DNS_TOKENS: TOKEN }) });
  for (const [what, env, expected] of failures) {
    const { message, log } = await initFailure({ ...baseEnv, ...env });
    assert.match(message, expected, what);
    assert.match(log, /^edge-dns lambda: bad configuration:\n/, `${what}: the logged line`);
    assert.ok(log.includes(message), `${what}: the log says what the init error says`);
    for (const value of [TOKEN, 'short-secret'])
      assert.ok(!log.includes(value), `${what}: the log never repeats a secret value`);
  }
});

test('a stalled endpoint: two attempts, each with a deadline, then the init fails naming the parameter', async () => {
  aws.answers.set('/edge-dns/stalled', 'stall');
  aws.requests.length = 0;
  const started = performance.now();
  const { message } = await initFailure({
    ...baseEnv,
    EDGE_DNS_SECRETS_PARAMETER: '/edge-dns/stalled',
  });
  assert.match(
    message,
    /EDGE_DNS_SECRETS_PARAMETER: cannot read SSM parameter "\/edge-dns\/stalled": TimeoutError: no answer within \d+ ms/,
  );
  assert.ok(performance.now() - started < INIT_LIMIT_MS, "inside Lambda's init limit");
  assert.equal(aws.requests.length, 2, 'one attempt and one retry');
});

test("Workers: wrangler.toml's [vars] hold no secret (they are `wrangler secret put` bindings)", () => {
  const text = readFileSync(join(REPO_ROOT, 'infra/cloudflare/wrangler.toml'), 'utf8');
  let section = '';
  const vars: string[] = [];
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) section = header[1]!;
    const key = /^\s*([A-Za-z0-9_]+)\s*=/.exec(line);
    if (key && section === 'vars') vars.push(key[1]!);
  }
  assert.ok(vars.includes('EDGE_DNS_TABLE'), `the [vars] were read: ${vars.join(', ')}`);
  assert.deepEqual(
    vars.filter((name) => /TOKEN|SECRET|_KEY/.test(name)),
    [],
    'secret names in [vars]',
  );
});
