// The Lambda's metric lines (functions/entry/README.md "Metric lines") as Lambda runs the BUILT
// bundle: the handler invoked with Function URL events against dynalite filled by the real sync,
// console.log captured. One CloudWatch Embedded Metric Format line per DNS request, with the
// request's type, rcode and its share of the instance cache; none with EDGE_DNS_METRICS=off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery } from './support/dns-client.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  publishedTable,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher } from './support/lambda-events.ts';

type RecordType = Parameters<typeof makeQuery>[1];

const TOKEN = 'lambda-metrics-token-0123456789';
const CLUSTER = 'ci';
const ORIGIN = 'https://doh.example';

const bundle = buildLambdaBundle();
const db = await publishedTable(CLUSTER, [SAMPLE_CLUSTER]);
test.after(() => db.close());
setLambdaCredentials();
const instance = lambdaInstances(bundle);
/** A fresh instance with the table, the cluster and a token, and `env` on top. */
const lambdaInstance = (env: Record<string, string>) =>
  instance({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: CLUSTER,
    AWS_REGION: 'us-east-1',
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_TOKENS: TOKEN,
    ...env,
  });

const wireGet = (name: string, type: RecordType) =>
  new Request(
    `${ORIGIN}/dns-query?dns=${Buffer.from(dnsPacket.encode(makeQuery(name, type, { id: 0 }))).toString('base64url')}`,
    { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/dns-message' } },
  );

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
  [member: string]: unknown;
}

/** Questions in presentation form -> what each line must say. */
const requests: {
  question: [string, RecordType];
  type: string;
  rcode: string;
  cache: [hits: number, misses: number, reads: number];
}[] = [
  {
    question: ['kubernetes.default.svc.cluster.local.', 'A'],
    type: 'A',
    rcode: 'NOERROR',
    cache: [0, 1, 1],
  },
  {
    question: ['kubernetes.default.svc.cluster.local.', 'A'],
    type: 'A',
    rcode: 'NOERROR',
    cache: [1, 0, 0],
  },
  {
    question: ['nothing.default.svc.cluster.local.', 'AAAA'],
    type: 'AAAA',
    rcode: 'NXDOMAIN',
    cache: [0, 1, 1],
  },
  { question: ['www.example.com.', 'A'], type: 'A', rcode: 'REFUSED', cache: [0, 0, 0] },
  {
    question: ['kubernetes.default.svc.cluster.local.', 'NAPTR'],
    type: 'other',
    rcode: 'NOERROR',
    cache: [1, 0, 0],
  },
];

test('one EMF line per DNS request, with its type, rcode and cache figures', async (t) => {
  const fetch = lambdaFetcher(await lambdaInstance({}), 'function-url');
  const logged = t.mock.method(console, 'log', () => {});
  const before = Date.now();
  for (const { question } of requests) {
    const response = await fetch(wireGet(question[0], question[1]));
    assert.equal(response.status, 200, question.join(' '));
  }
  // Not DNS requests: no line.
  assert.equal((await fetch(new Request(`${ORIGIN}/dns-query`))).status, 401);
  const lines = logged.mock.calls.map((c) => String(c.arguments[0]));
  assert.equal(lines.length, requests.length, lines.join('\n'));
  for (const [i, r] of requests.entries()) {
    const line = JSON.parse(lines[i]!) as EmfLine;
    const at = r.question.join(' ');
    assert.deepEqual(
      [line.type, line.rcode, line.cluster, line.proto],
      [r.type, r.rcode, CLUSTER, 'https'],
      at,
    );
    assert.deepEqual(
      [
        line.coredns_cache_hits_total,
        line.coredns_cache_misses_total,
        line.edge_dns_dynamodb_reads_total,
      ],
      r.cache,
      `${at}: cache hits, misses, reads`,
    );
    assert.equal(line.coredns_dns_requests_total, 1);
    assert.equal(line.coredns_dns_responses_total, 1);
    assert.ok(line._aws.Timestamp >= before && line._aws.Timestamp <= Date.now());
    for (const directive of line._aws.CloudWatchMetrics) {
      assert.equal(directive.Namespace, 'edge-dns');
      for (const m of directive.Metrics) assert.equal(typeof line[m.Name], 'number', m.Name);
      for (const key of directive.Dimensions.flat()) assert.equal(typeof line[key], 'string', key);
    }
    const duration = line.coredns_dns_request_duration_seconds as number;
    assert.ok(duration >= 0 && duration < 60, `${at}: duration ${duration}`);
    assert.equal(
      line.coredns_dns_request_size_bytes,
      dnsPacket.encode(makeQuery(r.question[0], r.question[1], { id: 0 })).length,
    );
  }
});

test('EDGE_DNS_METRICS=json on Lambda: the same members without _aws; =off or a sample of 0: no line', async (t) => {
  const logged = t.mock.method(console, 'log', () => {});
  const json = lambdaFetcher(await lambdaInstance({ EDGE_DNS_METRICS: 'json' }), 'function-url');
  await json(wireGet('kubernetes.default.svc.cluster.local', 'A'));
  assert.equal(logged.mock.callCount(), 1);
  const line = JSON.parse(String(logged.mock.calls[0]!.arguments[0])) as Record<string, unknown>;
  assert.equal(line._aws, undefined);
  assert.deepEqual([line.type, line.rcode], ['A', 'NOERROR']);
  for (const env of [{ EDGE_DNS_METRICS: 'off' }, { EDGE_DNS_METRICS_SAMPLE: '0' }] as Record<
    string,
    string
  >[]) {
    const fetch = lambdaFetcher(await lambdaInstance(env), 'function-url');
    assert.equal((await fetch(wireGet('kubernetes.default.svc.cluster.local', 'A'))).status, 200);
  }
  assert.equal(logged.mock.callCount(), 1, 'nothing more logged');
});
