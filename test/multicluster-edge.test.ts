// clusterset.local at the edge: the sync entry (sync/main.ts, a real process) publishes
// test/fixtures/multicluster-cluster.json with `--multicluster clusterset.local` into dynalite, and
// the BUILT Lambda bundle and the Worker in workerd answer CoreDNS's multicluster cases over DoH
// exactly as the container does (test/multicluster.test.ts): the cluster's ServiceImports and
// multicluster EndpointSlices, as its Multi-Cluster Services controller keeps them, are one more
// kind of record in the table.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { makeQuery } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { startEdges, type EdgeInstances } from './support/edge-instances.ts';
import { startEntry } from './support/entry-process.ts';
import { testAwsEnv } from './support/sync-env.ts';
import { ROWS, check, lines, soaOf } from './multicluster/cases.ts';

const GUARD = { timeout: 180_000 };
const ZONE = 'clusterset.local';
const ZONES = `cluster.local,${ZONE},in-addr.arpa,ip6.arpa`;

let db: Dynalite;
let edges: EdgeInstances | undefined;

before(async () => {
  db = await startDynalite();
  const published = startEntry(
    'sync/main.ts',
    [
      ...['--once', '--snapshot', 'test/fixtures/multicluster-cluster.json'],
      ...['--zones', ZONES, '--namespaces', 'testns', '--multicluster', ZONE],
      ...['--cluster-id', 'ci', '--table', db.table, '--region', 'us-east-1'],
      ...['--dynamodb-endpoint', db.endpoint],
    ],
    { env: testAwsEnv() },
  );
  assert.equal(await published.exited, 0, `the sync published\n${published.stderr()}`);
  edges = await startEdges({
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: 'ci',
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_ZONES: ZONES,
    EDGE_DNS_PUBLIC: 'true',
    EDGE_DNS_METRICS: 'off',
  });
}, GUARD);

after(async () => {
  await edges?.close();
  await db?.close();
}, GUARD);

test("CoreDNS's multicluster cases over DoH, at both edges", GUARD, async () => {
  for (const [edge, fetch] of edges!.edges) {
    const ask = async (name: string, type: RecordType) => {
      const query = Buffer.from(dnsPacket.encode(makeQuery(name, type, { id: 0 })));
      const res = await fetch(
        new Request(`https://doh.example/dns-query?dns=${query.toString('base64url')}`, {
          headers: { accept: 'application/dns-message' },
        }),
      );
      assert.equal(res.status, 200, `${edge}: ${name} ${type}`);
      return dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
    };
    for (const row of ROWS) {
      const [name, type] = row.q.replace('.Z.', `.${ZONE}.`).split(' ') as [string, RecordType];
      check(row, ZONE, await ask(name, type), `${edge} ${name} ${type}`);
    }
    assert.deepEqual(lines((await ask(ZONE, 'SOA')).answers), [soaOf(ZONE)], `${edge}: SOA`);
  }
});
