// The Lambda entry (functions/entry/lambda.ts) as Lambda runs it: the BUILT bundle (what ships:
// DynamoDB read by SigV4-signed fetches, functions/store/dynamodb/http-reads.ts) imported
// with its configuration in process.env, the exported handler invoked with Function URL and API
// Gateway HTTP API (payload 2.0) events, reading dynalite that the real sync (Reconciler +
// DynamoDbWriter) filled from the sample cluster. Each "instance" is a fresh import of the bundle
// (its own client and cache), as a new Lambda execution environment would be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { runDohCases, ORIGIN } from './doh/run-cases.ts';
import { closedPort } from './support/closed-port.ts';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { startDohUpstream } from './support/doh-upstream.ts';
import { startDynamoDbThrottleProxy } from './support/dynamodb-throttle-proxy.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  publishedTable,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import {
  eventFixture,
  lambdaContext,
  lambdaFetcher,
  type EventShape,
  type LambdaHandler,
} from './support/lambda-events.ts';

const TOKEN = 'lambda-test-token-0123456789';
const CLUSTER = 'ci';
const SHAPES: EventShape[] = ['function-url', 'http-api'];

const bundle = buildLambdaBundle();
const db = await publishedTable(CLUSTER, [SAMPLE_CLUSTER, 'test/fixtures/large-headless.json']);

/** Between the Lambda instances and dynalite: counts the DynamoDB calls, by X-Amz-Target. */
const proxy = await startDynamoDbThrottleProxy(db.endpoint);
const { calls } = proxy;
/** A port nothing listens on: connections are refused. */
const refusedEndpoint = `http://127.0.0.1:${await closedPort()}`;

const baseEnv = {
  EDGE_DNS_TABLE: db.table,
  EDGE_DNS_CLUSTER: CLUSTER,
  AWS_REGION: 'us-east-1',
  EDGE_DNS_DYNAMODB_ENDPOINT: proxy.endpoint,
  EDGE_DNS_TOKENS: TOKEN,
  // Metric lines are tested in test/lambda-metrics.test.ts; here they would only fill the output.
  EDGE_DNS_METRICS: 'off',
};
setLambdaCredentials();
const lambdaInstance = lambdaInstances(bundle);

const unreachable = await lambdaInstance({
  ...baseEnv,
  EDGE_DNS_DYNAMODB_ENDPOINT: refusedEndpoint,
});

for (const shape of SHAPES) {
  test(`the DoH case table through the Lambda handler, ${shape} events`, async (t) => {
    const handler = await lambdaInstance(baseEnv);
    await runDohCases(t, lambdaFetcher(handler, shape), {
      token: TOKEN,
      servfail: lambdaFetcher(unreachable, shape),
    });
  });
}

test('the documented event examples as stored: a GET (Function URL) and a base64 POST (HTTP API) for kubernetes.default', async () => {
  const handler = await lambdaInstance(baseEnv);
  for (const shape of SHAPES) {
    const event = eventFixture(shape);
    event.headers.authorization = `Bearer ${TOKEN}`;
    const result = await handler(event, lambdaContext());
    assert.equal(result.statusCode, 200, `${shape}: ${result.body}`);
    assert.equal(result.headers?.['content-type'], 'application/dns-message');
    assert.equal(result.isBase64Encoded, true, `${shape}: a binary answer goes back base64`);
    const reply = dnsPacket.decode(Buffer.from(result.body, 'base64'));
    assert.deepEqual(
      reply.answers?.map((a) => [a.name, a.type, (a as { data?: unknown }).data]),
      [['kubernetes.default.svc.cluster.local', 'A', '10.96.0.1']],
    );
  }
});

test('without a valid token: 401, and nothing is read from DynamoDB', async () => {
  const query = `dns=${Buffer.from(dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local' }] })).toString('base64url')}`;
  const requests: [string, RequestInit][] = [
    [`/dns-query?${query}`, {}],
    [`/dns-query?${query}`, { headers: { authorization: 'Bearer wrong-token-0123456789' } }],
    [
      `/dns-query?${query}`,
      { headers: { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` } },
    ],
    [`/dns-query/not-the-token-0123456789?${query}`, {}],
    ['/resolve?name=kubernetes.default.svc.cluster.local&type=A', {}],
    [
      '/dns-query',
      {
        method: 'POST',
        headers: { 'content-type': 'application/dns-message' },
        body: Buffer.from(query.slice(4), 'base64url'),
      },
    ],
  ];
  for (const shape of SHAPES) {
    const fetcher = lambdaFetcher(await lambdaInstance(baseEnv), shape);
    calls.length = 0;
    for (const [path, init] of requests) {
      const response = await fetcher(new Request(`${ORIGIN}${path}`, init));
      assert.equal(response.status, 401, `${shape} ${path}: ${await response.text()}`);
    }
    assert.deepEqual(calls, [], `${shape}: no DynamoDB call without a valid token`);
    const ok = await fetcher(new Request(`${ORIGIN}/dns-query/${TOKEN}?${query}`));
    assert.equal(ok.status, 200);
    assert.deepEqual(
      calls,
      ['GetItem', 'GetItem'],
      'the same query with the token reads: the change marker, then the name (the counter counts)',
    );
  }
});

test('a bad environment fails the init with a line naming the variable', async (t) => {
  const logged = t.mock.method(console, 'error', () => {});
  const cases: [Record<string, string | undefined>, RegExp][] = [
    [{ ...baseEnv, EDGE_DNS_TOKENS: undefined }, /EDGE_DNS_TOKENS: required: .*closed by default/],
    [
      { ...baseEnv, EDGE_DNS_TABLE: undefined, EDGE_DNS_CACHE_TTL: 'soon' },
      /EDGE_DNS_TABLE: required[\s\S]*EDGE_DNS_CACHE_TTL: expected seconds/,
    ],
    [{ ...baseEnv, AWS_REGION: undefined }, /EDGE_DNS_REGION: required/],
  ];
  for (const [env, message] of cases) {
    await assert.rejects(
      lambdaInstance(env),
      (e: Error) => e.name === 'ConfigError' && message.test(e.message),
    );
    const line = String(logged.mock.calls.at(-1)?.arguments[0]);
    assert.match(line, /^edge-dns lambda: bad configuration:\n/);
    assert.match(line, message);
  }
});

test('names outside the zones: REFUSED without EDGE_DNS_FORWARD; with it, from the DoH upstream through the instance cache', async () => {
  const upstream = await startDohUpstream();
  try {
    const ask = async (handler: LambdaHandler, name: string) => {
      const response = await lambdaFetcher(
        handler,
        'function-url',
      )(
        new Request(`${ORIGIN}/resolve?name=${name}&type=A`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      );
      assert.equal(response.status, 200);
      return (await response.json()) as {
        Status: number;
        RA: boolean;
        Answer?: { name: string; data: string }[];
      };
    };
    assert.equal(
      (await ask(await lambdaInstance(baseEnv), 'www.example.com')).Status,
      5,
      'REFUSED',
    );
    const forwarding = await lambdaInstance({ ...baseEnv, EDGE_DNS_FORWARD: upstream.url });
    for (const round of [1, 2]) {
      const reply = await ask(forwarding, 'WWW.example.com');
      assert.deepEqual(
        [reply.Status, reply.RA, reply.Answer?.map((a) => [a.name, a.data])],
        [0, true, [['WWW.example.com.', '127.0.0.8']]],
        `round ${round}`,
      );
    }
    assert.deepEqual(
      upstream.queries,
      ['www.example.com'],
      'one upstream query: the second answer came from the cache',
    );
  } finally {
    await upstream.close();
  }
});

test('DynamoDB gone (dynalite stopped): cached names keep answering, uncached ones get SERVFAIL', async () => {
  // Cache TTL 0 and no serial check: every lookup is due for a refresh, so each answer below went
  // through a failed read.
  const fetcher = lambdaFetcher(
    await lambdaInstance({
      ...baseEnv,
      EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
      EDGE_DNS_CACHE_TTL: '0',
      EDGE_DNS_SERIAL_CHECK: '0',
    }),
    'function-url',
  );
  const ask = async (name: string, type: string) => {
    const response = await fetcher(
      new Request(`${ORIGIN}/resolve?name=${name}&type=${type}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
    );
    assert.equal(response.status, 200);
    return (await response.json()) as { Status: number; Answer?: { data: string }[] };
  };
  const K8S = 'kubernetes.default.svc.cluster.local';
  const MISSING = 'nothing.default.svc.cluster.local';
  assert.deepEqual(
    (await ask(K8S, 'A')).Answer?.map((a) => a.data),
    ['10.96.0.1'],
  );
  assert.equal((await ask(MISSING, 'A')).Status, 3);

  await db.stop();
  assert.deepEqual(
    (await ask(K8S, 'A')).Answer?.map((a) => a.data),
    ['10.96.0.1'],
    'a cached name answers from the cache',
  );
  assert.equal((await ask(K8S, 'AAAA')).Status, 0, 'NODATA from the cached node');
  assert.equal((await ask(MISSING, 'A')).Status, 3, 'a cached NXDOMAIN stays NXDOMAIN');
  assert.equal(
    (await ask('kube-dns.kube-system.svc.cluster.local', 'A')).Status,
    2,
    'an uncached name: SERVFAIL, not NXDOMAIN',
  );
  assert.equal((await ask('nothing-cached.default.svc.cluster.local', 'A')).Status, 2);
});

test.after(async () => {
  await proxy.close();
  await db.close();
});
