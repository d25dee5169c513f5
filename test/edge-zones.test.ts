// `file` zones and `hosts` sources at the edge (docs/architecture.md §5.6, §6.14): the real sync
// (sync/main.ts --once --corefile) publishes a zone file and a hosts file to dynalite beside the
// sample cluster; the BUILT Lambda handler and the BUILT Worker in workerd answer a table of
// queries exactly as the container's `file` and `hosts` plugins answer them from the same files;
// then the zone file changes (a new serial), the sync runs again, and both edges show the new
// answer through the change log while their cache TTL is an hour.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import type { RecordType } from 'dns-packet';
import { emptySections, type Sections } from '../functions/core/sections.ts';
import { filePlugin } from '../functions/file/file-plugin.ts';
import { FileZone } from '../functions/file/file-zone.ts';
import { ZoneData } from '../functions/file/zone-data.ts';
import { hostsPlugin } from '../functions/hosts/hosts-plugin.ts';
import { HostsTable } from '../functions/hosts/hosts-table.ts';
import { typeNumber } from '../functions/doh/record-types.ts';
import { hostsNodesFromText } from '../sync/hosts/hosts-nodes.ts';
import { parseZoneFile } from '../sync/zonefile/parse-zone-file.ts';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { makeQuery, rcodeOf } from './support/dns-client.ts';
import { startDynalite, type Dynalite } from './support/dynalite.ts';
import { startEdges, type EdgeFetch, type EdgeInstances } from './support/edge-instances.ts';
import { startEntry } from './support/entry-process.ts';
import { pollUntil } from './support/poll.ts';
import { toPresentation } from './support/presentation.ts';

const CLUSTER = 'ci';
const TOKEN = 'edge-zones-test-token-0123456789';
const GUARD = { timeout: 120_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-edge-zones-'));
const ZONE_FILE = join(dir, 'db.example.org');
const HOSTS_FILE = join(dir, 'hosts');

const zoneText = (serial: number, www: string) =>
  [
    '$TTL 3600',
    `@ SOA ns1 hostmaster ${serial} 7200 1800 1209600 300`,
    '@ NS ns1',
    '@ MX 10 mail',
    '@ CAA 0 issue "ca.example.net"',
    '@ TXT "v=spf1 -all"',
    'ns1 A 192.0.2.1',
    'mail A 192.0.2.3',
    'mail AAAA 2001:db8::3',
    `www A ${www}`,
    'alias CNAME www',
    'out CNAME www.example.net.',
    '_sip._tcp SRV 10 60 5060 mail',
    'svc SVCB 1 . alpn=h2 port=8443',
    'host.ent A 192.0.2.30',
    '*.wild A 192.0.2.40',
    'sub NS ns.sub',
    'ns.sub A 192.0.2.50',
  ].join('\n');
const HOSTS =
  '192.0.2.7 printer.hosts.test\n2001:db8::7 printer.hosts.test\n192.0.2.8 *.lab.hosts.test';

/** Each query: name type. */
const QUERIES = [
  'www.example.org A',
  'WWW.Example.org A',
  'example.org MX',
  'example.org NS',
  'example.org SOA',
  'example.org CAA',
  'example.org TXT',
  '_sip._tcp.example.org SRV',
  'svc.example.org SVCB',
  'www.example.org AAAA', // NODATA with the SOA
  'nope.example.org A', // NXDOMAIN with the SOA
  'ent.example.org A', // empty non-terminal: NODATA
  'alias.example.org A', // CNAME chain
  'out.example.org A', // CNAME leaving the zone
  'a.b.wild.example.org A', // wildcard
  'a.b.sub.example.org A', // referral: NS in authority, glue
  'example.org ANY',
  'printer.hosts.test A',
  'printer.hosts.test AAAA',
  'printer.hosts.test MX', // NODATA, no SOA
  'x.lab.hosts.test A', // the hosts wildcard
  'nope.hosts.test A', // SERVFAIL: hosts has no SOA to give NXDOMAIN
  '7.2.0.192.in-addr.arpa PTR',
];

/** The container's plugins over the same files, as its Corefile wires them. */
function containerAnswer(name: string, type: string, zoneFile: string): Promise<Sections> {
  const records = parseZoneFile(zoneFile, { file: ZONE_FILE, origin: 'example.org' });
  const file = filePlugin(new FileZone(['example.org'], [new ZoneData('example.org', records)]));
  const table = new HostsTable();
  table.replaceFile(hostsNodesFromText(HOSTS, { zones: ['hosts.test'], ttl: 3600, reverse: true }));
  const hosts = hostsPlugin({ table, zones: ['hosts.test'] });
  const q = {
    name,
    type,
    class: 'IN',
    flags: { cd: false, do: false },
    transport: 'https',
    zone: '',
  } as const;
  // A PTR outside every block is REFUSED in the container's chain, as at the edge.
  return hosts(q, (q2) => file(q2, async () => emptySections('REFUSED')));
}

const shape = (s: { rcode: string; aa: boolean; an: unknown[]; ns: unknown[]; ar: unknown[] }) => s;
const ofSections = (s: Sections) =>
  shape({
    rcode: s.rcode,
    aa: s.aa,
    an: s.answers.map(toPresentation),
    ns: s.authorities.map(toPresentation),
    ar: s.additionals.map(toPresentation),
  });

async function ask(fetch: EdgeFetch, name: string, type: string) {
  // dns-packet spells the types it has no name for UNKNOWN_n (SVCB: 64).
  const wire = ['SVCB', 'HTTPS'].includes(type) ? `UNKNOWN_${typeNumber(type)}` : type;
  const query = Buffer.from(dnsPacket.encode(makeQuery(name, wire as RecordType, { id: 0 })));
  const res = await fetch(
    new Request(`https://doh.example/dns-query?dns=${query.toString('base64url')}`, {
      headers: { accept: 'application/dns-message', authorization: `Bearer ${TOKEN}` },
    }),
  );
  assert.equal(res.status, 200, `${name} ${type}: HTTP ${res.status}`);
  const reply = dnsPacket.decode(Buffer.from(await res.arrayBuffer()));
  return shape({
    rcode: rcodeOf(reply),
    aa: (reply.flags! & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    an: (reply.answers ?? []).map(toPresentation),
    ns: (reply.authorities ?? []).map(toPresentation),
    ar: (reply.additionals ?? []).filter((rr) => rr.type !== 'OPT').map(toPresentation),
  });
}

let db: Dynalite;
let started: EdgeInstances | undefined;
const edges: [string, EdgeFetch][] = [];

async function runSync(): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const p = startEntry(
    'sync/main.ts',
    [
      ...['--cluster-id', CLUSTER, '--table', db.table, '--region', 'us-east-1'],
      ...['--dynamodb-endpoint', db.endpoint, '--once', '--snapshot', SAMPLE_CLUSTER],
      ...['--corefile', join(dir, 'Corefile')],
    ],
    { env },
  );
  assert.equal(await p.exited, 0, p.stderr());
}

before(async () => {
  writeFileSync(ZONE_FILE, zoneText(1, '192.0.2.10'));
  writeFileSync(HOSTS_FILE, HOSTS);
  writeFileSync(
    join(dir, 'Corefile'),
    `example.org {\n  file ${ZONE_FILE}\n}\nhosts.test {\n  hosts ${HOSTS_FILE}\n}\n`,
  );
  db = await startDynalite();
  await runSync();
  const env = {
    EDGE_DNS_TABLE: db.table,
    EDGE_DNS_CLUSTER: CLUSTER,
    EDGE_DNS_DYNAMODB_ENDPOINT: db.endpoint,
    EDGE_DNS_TOKENS: TOKEN,
    EDGE_DNS_CACHE_TTL: '3600', // only the change log can show a change
    EDGE_DNS_METRICS: 'off',
    EDGE_DNS_FILE_HOSTS: 'true',
  };
  started = await startEdges(env);
  edges.push(...started.edges);
}, GUARD);

after(async () => {
  await started?.close();
  await db?.close();
}, GUARD);

test(
  'the edges answer the published zone and hosts file as the container plugins do',
  GUARD,
  async () => {
    for (const [edge, fetch] of edges) {
      for (const q of QUERIES) {
        const [name, type] = q.split(' ') as [string, string];
        const want = ofSections(await containerAnswer(name, type, zoneText(1, '192.0.2.10')));
        assert.deepEqual(await ask(fetch, name, type), want, `${edge}: ${q}`);
      }
    }
  },
);

test('spot checks, in presentation format', GUARD, async () => {
  for (const [edge, fetch] of edges) {
    const referral = await ask(fetch, 'a.b.sub.example.org', 'A');
    assert.deepEqual(
      [referral.aa, referral.ns, referral.ar],
      [
        false,
        ['sub.example.org. 3600 IN NS ns.sub.example.org.'],
        ['ns.sub.example.org. 3600 IN A 192.0.2.50'],
      ],
      edge,
    );
    const nx = await ask(fetch, 'nope.example.org', 'A');
    assert.deepEqual(
      [nx.rcode, nx.ns],
      [
        'NXDOMAIN',
        [
          'example.org. 300 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 1800 1209600 300',
        ],
      ],
      edge,
    );
    // The Kubernetes names still answer, after the published plugins.
    const k8s = await ask(fetch, 'kubernetes.default.svc.cluster.local', 'A');
    assert.deepEqual(k8s.an, ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'], edge);
    // Outside every zone: REFUSED as before.
    assert.equal((await ask(fetch, 'www.example.com', 'A')).rcode, 'REFUSED', edge);
  }
});

test(
  'a changed zone file is published again and seen at the edge through the change log',
  GUARD,
  async () => {
    writeFileSync(ZONE_FILE, zoneText(2, '192.0.2.99'));
    await runSync();
    for (const [edge, fetch] of edges) {
      const answer = await pollUntil(
        () => ask(fetch, 'www.example.org', 'A'),
        (a) => a.an[0] === 'www.example.org. 3600 IN A 192.0.2.99',
        { what: `${edge}: the new www address`, everyMs: 100 },
      );
      assert.deepEqual(
        answer,
        ofSections(await containerAnswer('www.example.org', 'A', zoneText(2, '192.0.2.99'))),
      );
    }
  },
);
