// LoadBalancer names at the edge: the sync entry (sync/main.ts, a real process) publishes
// test/fixtures/k8s-external-cluster.json with `--external-zone example.com` into dynalite, and
// the BUILT Lambda bundle answers it over DoH. An edge given only EDGE_DNS_EXTERNAL_ZONES serves
// the external zone and nothing internal (cluster.local is REFUSED, as any name outside its zones);
// one with EDGE_DNS_ZONES too serves both. docs/architecture.md §6.18.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { rcodeOf } from './support/dns-client.ts';
import { startDynalite } from './support/dynalite.ts';
import { startEntry } from './support/entry-process.ts';
import {
  buildLambdaBundle,
  lambdaInstances,
  setLambdaCredentials,
} from './support/lambda-bundle.ts';
import { lambdaFetcher, type LambdaHandler } from './support/lambda-events.ts';
import { toPresentation } from './support/presentation.ts';
import { SOA } from './k8s-external/cases.ts';
import { testAwsEnv } from './support/sync-env.ts';

const GUARD = { timeout: 120_000 };
const FIXTURE = 'test/fixtures/k8s-external-cluster.json';

const bundle = buildLambdaBundle();
const db = await startDynalite();
const env = testAwsEnv();
const published = startEntry(
  'sync/main.ts',
  [
    '--once',
    '--snapshot',
    FIXTURE,
    '--external-zone',
    'example.com',
    '--cluster-id',
    'ci',
    '--table',
    db.table,
    '--region',
    'us-east-1',
    '--dynamodb-endpoint',
    db.endpoint,
  ],
  { env },
);
assert.equal(await published.exited, 0, `the sync published\n${published.stderr()}`);

setLambdaCredentials();
const instance = lambdaInstances(bundle);
const baseEnv = {
  EDGE_DNS_TABLE: db.table,
  EDGE_DNS_CLUSTER: 'ci',
  AWS_REGION: 'us-east-1',
  EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
  EDGE_DNS_PUBLIC: 'true',
  EDGE_DNS_METRICS: 'off',
  EDGE_DNS_EXTERNAL_ZONES: 'example.com',
};

/** One DoH GET (RFC 8484 §4.1) through the handler: rcode, AA, answer and authority lines. */
async function ask(handler: LambdaHandler, q: string) {
  const [name, type] = q.split(' ') as [string, RecordType];
  const query = dnsPacket.encode({ type: 'query', id: 0, questions: [{ name, type }] });
  const url = `https://edge.example/dns-query?dns=${query.toString('base64url')}`;
  const response = await lambdaFetcher(handler, 'function-url')(new Request(url));
  assert.equal(response.status, 200, q);
  const reply = dnsPacket.decode(Buffer.from(await response.arrayBuffer()));
  const lines = (rrs: dnsPacket.Answer[] = []) =>
    rrs.map((rr) => toPresentation(rr).replace(/^(\S+ \d+ IN SOA \S+ \S+) \d+/, '$1 *')).sort();
  return [rcodeOf(reply), reply.flag_aa, lines(reply.answers), lines(reply.authorities)];
}

type Row = [q: string, rcode: string, aa: boolean, answer: string[], authority: string[]];

const external: Row[] = [
  ['example.com SOA', 'NOERROR', true, [SOA], []],
  ['example.com NS', 'NOERROR', true, ['example.com. 5 IN NS ns1.dns.example.com.'], []],
  ['svc11.testns.example.com A', 'NOERROR', true, ['svc11.testns.example.com. 5 IN A 2.3.4.5'], []],
  ['svc1.testns.example.com A', 'NOERROR', true, ['svc1.testns.example.com. 5 IN A 1.2.3.4'], []],
  [
    'svc12.testns.example.com A',
    'NOERROR',
    true,
    ['svc12.testns.example.com. 5 IN CNAME dummy.hostname.'],
    [],
  ],
  [
    '_http._tcp.svc11.testns.example.com SRV',
    'NOERROR',
    true,
    ['_http._tcp.svc11.testns.example.com. 5 IN SRV 0 100 80 svc11.testns.example.com.'],
    [],
  ],
  ['internal.testns.example.com A', 'NXDOMAIN', true, [], [SOA]],
  ['svc-headless.testns.example.com A', 'NXDOMAIN', true, [], [SOA]],
];

test(
  'an edge with only the external zone answers LoadBalancer names and refuses cluster names',
  GUARD,
  async () => {
    const handler = await instance(baseEnv);
    const internal: Row[] = [
      ['internal.testns.svc.cluster.local A', 'REFUSED', false, [], []],
      ['svc11.testns.svc.cluster.local A', 'REFUSED', false, [], []],
      ['1.0.0.10.in-addr.arpa PTR', 'REFUSED', false, [], []],
    ];
    for (const [q, ...want] of [...external, ...internal])
      assert.deepEqual(await ask(handler, q), want, q);
  },
);

test('EDGE_DNS_ZONES as well: both the cluster names and the external ones', GUARD, async () => {
  const handler = await instance({ ...baseEnv, EDGE_DNS_ZONES: 'cluster.local' });
  const cluster: Row[] = [
    [
      'internal.testns.svc.cluster.local A',
      'NOERROR',
      true,
      ['internal.testns.svc.cluster.local. 5 IN A 10.0.0.9'],
      [],
    ],
  ];
  for (const [q, ...want] of [...external, ...cluster])
    assert.deepEqual(await ask(handler, q), want, q);
});

test.after(() => db.close());
