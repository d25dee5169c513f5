// serverless.yml through the real Serverless Framework v3 (deploy/, `npm ci --prefix deploy`):
// `serverless package` offline, with no AWS credentials, and the CloudFormation template it writes
// holds what the edge needs (docs/architecture.md §1): the arm64 nodejs22.x function from the
// prebuilt zip, its Function URL with AuthType NONE (DoH clients cannot sign; the app's bearer
// tokens guard it), the HTTP API routes, the record table as codec.ts defines it, and a role that
// can only read that table and its one secrets parameter. No secret is in the template: a token in
// the deploying shell's environment reaches none of the files `serverless package` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableDefinition } from '../functions/store/dynamodb/codec.ts';
import { REPO_ROOT } from './support/container.ts';

const SERVERLESS = join(REPO_ROOT, 'deploy/node_modules/.bin/serverless');
/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 120_000 };

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };
type Statement = {
  Effect: string;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/** undefined when deploy/ is installed; else the skip reason, or a failure under EDGE_DNS_REQUIRE_TOOLS=1 (.ci/run installs it). */
function requireServerless(): string | undefined {
  if (existsSync(SERVERLESS)) return undefined;
  const reason = 'serverless not installed (npm ci --prefix deploy)';
  if (process.env.EDGE_DNS_REQUIRE_TOOLS === '1')
    throw new Error(`${reason}, and EDGE_DNS_REQUIRE_TOOLS=1 requires it`);
  return reason;
}

/** `serverless package` of the repo's serverless.yml in a scratch service folder; the template it writes. */
async function packageTemplate(
  args: string[] = [],
  shellEnv: Record<string, string> = {},
): Promise<Template> {
  const service = mkdtempSync(join(tmpdir(), 'edge-dns-sls-'));
  copyFileSync(join(REPO_ROOT, 'serverless.yml'), join(service, 'serverless.yml'));
  // serverless checks that package.artifact exists; the template does not depend on its content.
  mkdirSync(join(service, 'dist/lambda'), { recursive: true });
  writeFileSync(
    join(service, 'dist/lambda/lambda.zip'),
    Buffer.from(`504b0506${'00'.repeat(18)}`, 'hex'),
  ); // an empty zip
  // No AWS credentials or profile, its own HOME (serverless writes ~/.serverlessrc), no telemetry.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: service,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    CI: '1',
    ...shellEnv,
  };
  const out = join(service, 'out');
  await new Promise<void>((resolve, reject) => {
    execFile(
      SERVERLESS,
      ['package', '--package', out, ...args],
      { cwd: service, env, encoding: 'utf8', timeout: 90_000 },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `serverless package: ${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
              ),
            )
          : resolve(),
    );
  });
  const text = readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8');
  for (const [name, value] of Object.entries(shellEnv))
    for (const file of readdirSync(out).filter((f) => f.endsWith('.json')))
      assert.ok(
        !readFileSync(join(out, file), 'utf8').includes(value),
        `${file} holds the value of ${name} from the deploying shell`,
      );
  return JSON.parse(text) as Template;
}

function only(template: Template, type: string): [string, Resource] {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  assert.equal(
    found.length,
    1,
    `one ${type}, found ${found.map(([id]) => id).join(', ') || 'none'}`,
  );
  return found[0]!;
}

const all = (template: Template, type: string): Resource[] =>
  Object.values(template.Resources).filter((r) => r.Type === type);
const tableArn = { 'Fn::GetAtt': ['RecordTable', 'Arn'] };
const indexArn = { 'Fn::Join': ['', [tableArn, '/index/by-cluster']] };
/** arn:<partition>:<service>:<region>:<account>:<rest> as the template joins it. */
const arnOf = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${rest}`,
    ],
  ],
});
/** A token in the deploying shell: it must reach no file serverless writes. */
const SHELL_TOKEN = 'shell-token-0123456789abcdef';

test(
  'serverless package: the template holds the DoH function, its URL and routes, the table, a read-only role',
  GUARD,
  async (t) => {
    const skip = requireServerless();
    if (skip) return t.skip(skip);
    const template = await packageTemplate([], { EDGE_DNS_TOKENS: SHELL_TOKEN });

    const [fnId, fn] = only(template, 'AWS::Lambda::Function');
    assert.equal(fn.Properties.Runtime, 'nodejs22.x');
    assert.deepEqual(fn.Properties.Architectures, ['arm64']);
    assert.equal(
      fn.Properties.Handler,
      'lambda.handler',
      'dist/lambda/lambda.zip holds lambda.mjs at its root',
    );
    assert.match(
      (fn.Properties.Code as { S3Key: string }).S3Key,
      /\/lambda\.zip$/,
      'the prebuilt artifact',
    );
    const variables = (fn.Properties.Environment as { Variables: Record<string, string> })
      .Variables;
    assert.equal(variables.EDGE_DNS_TABLE, 'edge-dns');
    assert.equal(variables.EDGE_DNS_CLUSTER, 'my-cluster');
    assert.equal(variables.EDGE_DNS_SECRETS_PARAMETER, '/edge-dns/dev', 'the parameter, by name');
    assert.equal(variables.EDGE_DNS_TOKENS, undefined, 'no token variable in the template');

    // AuthType NONE, so that DoH clients (which cannot sign) reach the app, whose tokens guard it;
    // both permissions a public Function URL needs (AWS Lambda docs, "Control access to Lambda
    // function URLs"), each only through the URL.
    const [, url] = only(template, 'AWS::Lambda::Url');
    assert.equal(url.Properties.AuthType, 'NONE', 'the Function URL DoH clients can call');
    assert.deepEqual(url.Properties.TargetFunctionArn, { 'Fn::GetAtt': [fnId, 'Arn'] });
    const publicGrants = all(template, 'AWS::Lambda::Permission')
      .map((p) => p.Properties)
      .filter((p) => p.Principal === '*')
      .map(({ Action, FunctionUrlAuthType, InvokedViaFunctionUrl }) => ({
        Action,
        FunctionUrlAuthType,
        InvokedViaFunctionUrl,
      }));
    assert.deepEqual(publicGrants, [
      {
        Action: 'lambda:InvokeFunctionUrl',
        FunctionUrlAuthType: 'NONE',
        InvokedViaFunctionUrl: undefined,
      },
      {
        Action: 'lambda:InvokeFunction',
        FunctionUrlAuthType: undefined,
        InvokedViaFunctionUrl: true,
      },
    ]);

    const [, integration] = only(template, 'AWS::ApiGatewayV2::Integration');
    assert.equal(integration.Properties.PayloadFormatVersion, '2.0');
    const routes = all(template, 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey)
      .sort();
    assert.deepEqual(routes, ['ANY /dns-query', 'ANY /dns-query/{token}', 'ANY /resolve']);

    const [, table] = only(template, 'AWS::DynamoDB::Table');
    const { TableName, BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes } =
      tableDefinition('edge-dns');
    assert.deepEqual(
      table.Properties,
      { TableName, BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes },
      'as codec.ts tableDefinition()',
    );

    // The function's role: CloudWatch Logs for its own log group, and reads of that table only.
    const [roleId, role] = only(template, 'AWS::IAM::Role');
    assert.deepEqual(fn.Properties.Role, { 'Fn::GetAtt': [roleId, 'Arn'] });
    assert.deepEqual(all(template, 'AWS::IAM::Policy'), [], 'no other policy');
    assert.deepEqual(all(template, 'AWS::IAM::ManagedPolicy'), [], 'no managed policy');
    assert.equal(role.Properties.ManagedPolicyArns, undefined, 'no managed policy attached');
    const statements = (
      role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]
    ).flatMap((p) => p.PolicyDocument.Statement);
    const dynamo = statements.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
    assert.deepEqual(dynamo as unknown, [
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        Resource: [tableArn, indexArn],
      },
    ]);
    // The secrets parameter: read, and decrypted by KMS only on SSM's behalf for that parameter.
    const parameterArn = arnOf('ssm', 'parameter/edge-dns/dev');
    const secrets = statements.filter((s) =>
      s.Action.some((a) => a.startsWith('ssm:') || a.startsWith('kms:')),
    );
    assert.deepEqual(secrets as unknown, [
      { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: parameterArn },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnOf('kms', 'key/*'),
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
            'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
          },
        },
      },
    ]);
    for (const s of statements.filter((x) => !dynamo.includes(x) && !secrets.includes(x))) {
      assert.ok(
        s.Action.every((a) => a.startsWith('logs:')),
        `only logs actions besides the reads and the secrets: ${JSON.stringify(s.Action)}`,
      );
      assert.ok(
        JSON.stringify(s.Resource).includes('log-group:/aws/lambda/edge-dns-dev'),
        `logs only for the function's log group: ${JSON.stringify(s.Resource)}`,
      );
    }
  },
);

test('serverless package: --stage, --region and --param name the deployment', GUARD, async (t) => {
  const skip = requireServerless();
  if (skip) return t.skip(skip);
  const template = await packageTemplate([
    '--stage',
    'prod',
    '--region',
    'eu-west-1',
    '--param',
    'table=dns-records',
    '--param',
    'cluster=east',
  ]);
  const [, fn] = only(template, 'AWS::Lambda::Function');
  assert.equal(fn.Properties.FunctionName, 'edge-dns-prod-doh');
  const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
  assert.equal(variables.EDGE_DNS_TABLE, 'dns-records');
  assert.equal(variables.EDGE_DNS_CLUSTER, 'east');
  assert.equal(variables.EDGE_DNS_SECRETS_PARAMETER, '/edge-dns/prod', 'per stage by default');
  const [, table] = only(template, 'AWS::DynamoDB::Table');
  assert.equal(table.Properties.TableName, 'dns-records');
});
