// Multi-Cluster Services (KEP-1645) in a running container, as CoreDNS's `kubernetes { multicluster
// ZONES }` answers them, over real UDP and TCP, from a snapshot (flags, and the zone of CoreDNS's
// own test) and from the test API server (Corefile). The table transcribes CoreDNS's
// plugin/kubernetes/handler_test.go TestMultiClusterServeDNS: commonDnsTestCases then
// multiclusterDnsTestCases, over its svcImportIndex and mcEpsIndex (test/fixtures/
// multicluster-cluster.json; hdls1's endpoints split into an IPv4 and an IPv6 slice, as the API
// keeps one address family per slice), with `namespaces testns` as the test sets. CoreDNS's test
// makes cluster.local itself the multicluster zone; the table is written for any zone and run in
// clusterset.local (beside cluster.local) and in cluster.local alone. Never our own output.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { REPO_ROOT, parseReadyLine, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { listApi } from './support/list-api.ts';
import { pollUntil } from './support/poll.ts';
import { ROWS, check, lines, soaOf } from './multicluster/cases.ts';

const FIXTURE = 'test/fixtures/multicluster-cluster.json';
const GUARD = { timeout: 90_000 };

async function checkRows(udp: Container['udp'], tcp: Container['tcp'], zone: string) {
  for (const row of ROWS) {
    const [name, type] = row.q.replace('.Z.', `.${zone}.`).split(' ') as [string, RecordType];
    // EDNS (RFC 6891): CoreDNS's test answers with no size limit, the SRV case is over 512 bytes.
    const query = () => makeQuery(name, type, { edns: 1232 });
    check(row, zone, await queryUdp(udp, query()), `udp ${name} ${type}`);
    const [reply] = await queryTcp(tcp, [query()]);
    check(row, zone, reply!, `tcp ${name} ${type}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-multicluster-'));
const localA = async (udp: Container['udp'], name: string) => {
  const r = await queryUdp(udp, makeQuery(name, 'A'));
  return [rcodeOf(r), ...lines(r.answers)].join(' ');
};

const snapshots: [string, string, string[]][] = [
  [
    'clusterset.local beside cluster.local',
    'clusterset.local',
    ['--zones', 'cluster.local,clusterset.local,in-addr.arpa,ip6.arpa'],
  ],
  ["cluster.local, CoreDNS's test zone", 'cluster.local', []],
];

for (const [title, zone, zones] of snapshots) {
  describe(
    `multicluster ${title}, from a snapshot: CoreDNS's cases over UDP and TCP`,
    GUARD,
    () => {
      let c: Container;
      before(async () => {
        c = await startContainer([
          '--snapshot',
          FIXTURE,
          ...zones,
          '--namespaces',
          'testns',
          '--multicluster',
          zone,
        ]);
      });
      after(async () => {
        await c?.stop();
      });
      it('answers every case', async () => {
        await checkRows(c.udp, c.tcp, zone);
      });
      it('the zone apex answers its SOA and NS as every kubernetes zone', async () => {
        const soa = await queryUdp(c.udp, makeQuery(zone, 'SOA'));
        assert.deepEqual(lines(soa.answers), [soaOf(zone)]);
        const ns = await queryTcp(c.tcp, [makeQuery(zone, 'NS')]);
        assert.deepEqual(lines(ns[0]!.answers), [`${zone}. 5 IN NS ns.dns.${zone}.`]);
      });
      if (zone !== 'cluster.local')
        it('cluster.local still answers the Services, not the imports', async () => {
          assert.equal(
            await localA(c.udp, 'local1.testns.svc.cluster.local'),
            'NOERROR local1.testns.svc.cluster.local. 5 IN A 10.96.0.99',
          );
          assert.equal(await localA(c.udp, 'svc1.testns.svc.cluster.local'), 'NXDOMAIN');
        });
    },
  );
}

test('a multicluster zone that is not a kubernetes zone is refused by name', GUARD, async () => {
  await assert.rejects(
    startContainer(['--snapshot', FIXTURE, '--multicluster', 'clusterset.local']),
    /kubernetes\.multicluster\[0\]: not a kubernetes zone/,
  );
  const corefile = join(dir, 'Corefile.bare');
  writeFileSync(
    corefile,
    `. {\n  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, FIXTURE)}\n    multicluster\n  }\n}\n`,
  );
  await assert.rejects(
    startContainer(['--corefile', corefile]),
    /:4\b.*multicluster: expected ZONES/,
  );
});

test(
  'live (Corefile `multicluster`): the cases, then a new import, and an API without the CRD',
  GUARD,
  async (t) => {
    const { api, kubeconfig } = await listApi(FIXTURE, dir);
    const corefile = join(dir, 'Corefile');
    writeFileSync(
      corefile,
      [
        '. {',
        '  kubernetes cluster.local clusterset.local in-addr.arpa ip6.arpa {',
        `    kubeconfig ${kubeconfig}`,
        '    namespaces testns',
        '    multicluster clusterset.local',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const c = startEntry('functions/entry/container.ts', [
      '--corefile',
      corefile,
      '--dns',
      '127.0.0.1:0',
    ]);
    t.after(async () => {
      await c.stop();
      await api.close();
    });
    const { udp, tcp } = parseReadyLine(
      await c.waitFor(/^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/, {
        stream: 'stdout',
      }),
    )!;
    await checkRows(udp, tcp, 'clusterset.local');

    const name = 'fresh.testns.svc.clusterset.local';
    api.apply('ServiceImport', {
      metadata: { name: 'fresh', namespace: 'testns' },
      spec: { type: 'ClusterSetIP', ips: ['10.0.0.77'], ports: [{ port: 80, protocol: 'TCP' }] },
    });
    await pollUntil(
      () => localA(udp, name),
      (o) => o === `NOERROR ${name}. 5 IN A 10.0.0.77`,
      { what: `${name} answering` },
    );
    api.remove('ServiceImport', 'testns', 'fresh');
    await pollUntil(
      () => localA(udp, name),
      (o) => o === 'NXDOMAIN',
      { what: `${name} gone` },
    );
  },
);

test(
  'live without the ServiceImport CRD: the container starts, logs it, and answers once it is installed',
  GUARD,
  async (t) => {
    const api = await KubeApiServer.start();
    api.serve('ServiceImport', false);
    api.apply('Namespace', { metadata: { name: 'testns' } });
    const kubeconfig = join(dir, 'kubeconfig-nocrd.yaml');
    api.writeKubeconfig(kubeconfig);
    const c = startEntry('functions/entry/container.ts', [
      '--kubeconfig',
      kubeconfig,
      '--zones',
      'cluster.local,clusterset.local',
      '--multicluster',
      'clusterset.local',
      '--dns',
      '127.0.0.1:0',
    ]);
    t.after(async () => {
      await c.stop();
      await api.close();
    });
    await c.waitFor(/watch ServiceImport: not served \(.*404.*is its CRD installed\?\)/);
    const { udp } = parseReadyLine(
      await c.waitFor(/^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/, {
        stream: 'stdout',
      }),
    )!;
    const name = 'svc1.testns.svc.clusterset.local';
    // The API said the kind does not exist: no import, so NXDOMAIN is the truth, not a guess.
    assert.equal(await localA(udp, name), 'NXDOMAIN');
    api.serve('ServiceImport', true);
    api.apply('ServiceImport', {
      metadata: { name: 'svc1', namespace: 'testns' },
      spec: { type: 'ClusterSetIP', ips: ['10.0.0.1'], ports: [{ name: 'http', port: 80 }] },
    });
    await api.nextRequest('ServiceImport', 'list');
    await c.waitFor(/watch ServiceImport: the API serves the kind now/);
    await pollUntil(
      () => localA(udp, name),
      (o) => o === `NOERROR ${name}. 5 IN A 10.0.0.1`,
      { what: `${name} answering after the CRD is installed` },
    );
  },
);
