// Zonal names at the edge (docs/architecture.md §6.20): the sync entry (sync/main.ts, a real
// process) publishes test/zonal/cluster.json with `--zonal` into dynalite, and the BUILT Lambda
// bundle answers CoreDNS's zonal cases over DoH exactly as the container does (test/zonal.test.ts):
// stored zones from their own items, the others from the Service's carrier item. With
// EDGE_DNS_CLIENT_ZONES (§6.21) the same answer lists the client's zone first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { startEntry } from './support/entry-process.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher, type LambdaHandler } from './support/lambda-events.ts';
import { testAwsEnv } from './support/sync-env.ts';
import { FIXTURE, PARSE_ROWS, ROWS, check } from './zonal/cases.ts';

const GUARD = { timeout: 180_000 };

let db: Dynalite;
let handler: LambdaHandler;
let ordering: LambdaHandler;

before(async () => {
  const bundle = buildLambdaBundle();
  db = await startDynalite();
  const published = startEntry(
    'sync/main.ts',
    [
      ...['--once', '--snapshot', FIXTURE, '--namespaces', 'testns', '--zonal'],
      ...['--cluster-id', 'ci', '--table', db.table, '--region', 'us-east-1'],
      ...['--dynamodb-endpoint', db.endpoint],
    ],
    { env: testAwsEnv() },
  );
  assert.equal(await published.exited, 0, `the sync published\n${published.stderr()}`);
  setLambdaCredentials();
  const env = {
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: 'ci',
    AWS_REGION: 'us-east-1',
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_PUBLIC: 'true',
    EDGE_DNS_METRICS: 'off',
  };
  const instance = lambdaInstances(bundle);
  handler = await instance(env);
  // 198.51.100.7 is the client of every test event (test/fixtures/lambda/function-url.json).
  ordering = await instance({
    ...env,
    EDGE_DNS_CLIENT_ZONES: [
      ...['10.0.0.0/8=us-west-2a', '10.9.0.0/16=US-WEST-2B', '10.7.0.0/16=us-west-2c'],
      '198.51.100.0/24=us-west-2b',
    ].join(','),
  });
}, GUARD);

after(async () => {
  await db?.close();
}, GUARD);

test("CoreDNS's zonal cases over DoH from the Lambda", GUARD, async () => {
  const fetch = lambdaFetcher(handler, 'function-url');
  for (const row of [...ROWS, ...PARSE_ROWS]) {
    const [name, type] = row.q.split(' ') as [string, RecordType];
    const query = Buffer.from(dnsPacket.encode(makeQuery(name, type, { id: 0 })));
    const res = await fetch(
      new Request(`https://doh.example/dns-query?dns=${query.toString('base64url')}`, {
        headers: { accept: 'application/dns-message' },
      }),
    );
    assert.equal(res.status, 200, row.q);
    check(row, dnsPacket.decode(Buffer.from(await res.arrayBuffer())), `lambda ${row.q}`);
  }
});

/** The answer of `q` in the order given, from `h`, with an EDNS Client Subnet when `ecs` is set. */
async function ordered(h: LambdaHandler, q: string, ecs?: [ip: string, prefix: number]) {
  const [name, type] = q.split(' ') as [string, RecordType];
  const query = dnsPacket.encode({
    type: 'query',
    id: 0,
    questions: [{ name, type }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 1232,
        flags: 0,
        options: ecs
          ? [
              {
                code: 8,
                family: ecs[0].includes(':') ? 2 : 1,
                sourcePrefixLength: ecs[1],
                scopePrefixLength: 0,
                ip: ecs[0],
              },
            ]
          : [],
      } as dnsPacket.Answer,
    ],
  });
  const url = `https://doh.example/dns-query?dns=${Buffer.from(query).toString('base64url')}`;
  const res = await lambdaFetcher(h, 'function-url')(new Request(url));
  assert.equal(res.status, 200, q);
  const reply = dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
  const data = (a: dnsPacket.Answer) => ('data' in a ? String(a.data) : '');
  return [rcodeOf(reply), ...(reply.answers ?? []).map((a) => `${a.type} ${data(a)}`)];
}

const HDLS = 'hdls.testns.svc.cluster.local A';
const inOrder = (...ips: string[]) => ['NOERROR', ...ips.map((ip) => `A 172.0.0.${ip}`)];

const orders: [what: string, q: string, ecs: [string, number] | undefined, want: string[]][] = [
  ["the client's address (us-west-2b): its zone first", HDLS, undefined, inOrder('2', '3', '1')],
  ['ECS in us-west-2b, the longest network', HDLS, ['10.9.1.0', 24], inOrder('2', '3', '1')],
  ['ECS in us-west-2a', HDLS, ['10.1.0.0', 16], inOrder('1', '2', '3')],
  ['ECS /12: which /16 is unknown, so us-west-2a', HDLS, ['10.9.0.0', 12], inOrder('1', '2', '3')],
  ['ECS in a zone without endpoints', HDLS, ['10.7.0.0', 24], inOrder('1', '2', '3')],
  [
    'ECS in no network: not the connection address',
    HDLS,
    ['192.0.2.0', 24],
    inOrder('1', '2', '3'),
  ],
  ['ECS /0: the client opts out (RFC 7871 §7.1.2)', HDLS, ['0.0.0.0', 0], inOrder('1', '2', '3')],
  [
    'a zonal name keeps its own answer',
    'us-west-2c.prefer._zone.hdls.testns.svc.cluster.local A',
    undefined,
    inOrder('1', '2', '3'),
  ],
  [
    'a ClusterIP Service is left alone',
    'clstr.testns.svc.cluster.local A',
    undefined,
    ['NOERROR', 'A 10.0.0.10'],
  ],
];

test(
  "EDGE_DNS_CLIENT_ZONES: the same records, the client's zone first (§6.21)",
  GUARD,
  async () => {
    // Without the variable the builder's order: 172.0.0.1 first.
    assert.deepEqual(await ordered(handler, HDLS), inOrder('1', '2', '3'));
    assert.deepEqual(await ordered(handler, HDLS, ['10.9.1.0', 24]), inOrder('1', '2', '3'));
    for (const [what, q, ecs, want] of orders)
      assert.deepEqual(await ordered(ordering, q, ecs), want, what);
  },
);
