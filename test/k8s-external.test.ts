// CoreDNS's k8s_external (LoadBalancer and external IPs as <svc>.<ns>.<zone>) in a running
// container, over real UDP and TCP, configured by flags and by a Corefile. The table (k8s-external/cases.ts) transcribes
// CoreDNS's plugin/k8s_external/apex_test.go and external_test.go (services svc1, svc6, svc11,
// svc12 of test/fixtures/k8s-external-cluster.json, as in those tests; svc11 carries its address
// as a LoadBalancer ingress point and svc12 a hostname ingress), never our own output. Left out,
// as deliberate differences (sync/records/README.md): the PTR cases (no reverse external zone) and
// the `headless` cases (the option is refused, checked below).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { parseReadyLine, REPO_ROOT, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf, type Reply } from './support/dns-client.ts';
import { sectionLines } from './support/presentation.ts';
import { startEntry } from './support/entry-process.ts';
import { listApi } from './support/list-api.ts';
import { serviceObject, type Json } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { rows, SOA, type Row } from './k8s-external/cases.ts';

const FIXTURE = 'test/fixtures/k8s-external-cluster.json';
const GUARD = { timeout: 60_000 };
const lines = sectionLines;

function check(row: Row, reply: Reply, where: string): void {
  assert.equal(rcodeOf(reply), row.rcode, `${where}: rcode`);
  assert.equal(reply.flag_aa, true, `${where}: AA`);
  assert.deepEqual(lines(reply.answers), [...(row.answer ?? [])].sort(), `${where}: answer`);
  assert.deepEqual(lines(reply.authorities), row.soa ? [SOA] : [], `${where}: authority`);
  assert.deepEqual(lines(reply.additionals), [...(row.extra ?? [])].sort(), `${where}: additional`);
}

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-k8s-external-'));
const corefile = (text: string) => {
  const path = join(dir, `Corefile.${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, text);
  return path;
};

const setups: [string, () => string[]][] = [
  [
    'flags',
    () => ['--snapshot', FIXTURE, '--external-zone', 'example.com', '--ns-addresses', '127.0.0.1'],
  ],
  [
    'Corefile',
    () => [
      '--corefile',
      corefile(
        [
          'cluster.local example.com {',
          `  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, FIXTURE)}\n  }`,
          '  k8s_external example.com',
          '}',
          '',
        ].join('\n'),
      ),
      '--ns-addresses',
      '127.0.0.1',
    ],
  ],
];

for (const [how, args] of setups) {
  describe(`k8s_external set by ${how}: CoreDNS's cases over UDP and TCP`, GUARD, () => {
    let c: Container;
    before(async () => {
      c = await startContainer(args());
    });
    after(async () => {
      await c?.stop();
    });
    for (const row of rows) {
      it(`${row.q} -> ${row.rcode}`, async () => {
        const [name, type] = row.q.split(' ') as [string, RecordType];
        check(row, await queryUdp(c.udp, makeQuery(name, type)), `udp ${row.q}`);
        const [tcp] = await queryTcp(c.tcp, [makeQuery(name, type)]);
        check(row, tcp!, `tcp ${row.q}`);
      });
    }
    it('the cluster zone still answers its own names', async () => {
      const r = await queryUdp(c.udp, makeQuery('svc1.testns.svc.cluster.local', 'A'));
      assert.deepEqual(lines(r.answers), ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1']);
    });
  });
}

test('Corefile options edge-dns refuses are named with their line', GUARD, async () => {
  const cases: [string, RegExp][] = [
    [
      '  k8s_external example.com {\n    headless\n  }',
      /:3 - .*headless: option not supported by edge-dns/,
    ],
    ['  k8s_external in-addr.arpa', /:2: kubernetes\.external\.zones\[0\]: a reverse zone/],
    [
      '  k8s_external example.com {\n    ttl 4000\n  }',
      /:3 - .*ttl: expected SECONDS in 0\.\.3600/,
    ],
  ];
  for (const [directive, want] of cases) {
    const path = corefile(
      `. {\n${directive}\n  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, FIXTURE)}\n  }\n}\n`,
    );
    await assert.rejects(startContainer(['--corefile', path]), want, directive);
  }
});

test(
  'live: a LoadBalancer given an ingress point by the API server answers; removed, NXDOMAIN',
  GUARD,
  async (t) => {
    const { api, kubeconfig } = await listApi(FIXTURE, dir);
    const c = startEntry('functions/entry/container.ts', [
      '--kubeconfig',
      kubeconfig,
      '--external-zone',
      'example.com',
      '--dns',
      '127.0.0.1:0',
    ]);
    t.after(async () => {
      await c.stop();
      await api.close();
    });
    const { udp } = parseReadyLine(
      await c.waitFor(/^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/, {
        stream: 'stdout',
      }),
    )!;
    const a = async (name: string) => {
      const r = await queryUdp(udp, makeQuery(name, 'A'));
      return [rcodeOf(r), ...lines(r.answers)].join(' ');
    };
    assert.equal(
      await a('svc11.testns.example.com'),
      'NOERROR svc11.testns.example.com. 5 IN A 2.3.4.5',
    );
    const lb = (status: Json) => ({
      ...serviceObject('testns', 'fresh', {
        type: 'LoadBalancer',
        clusterIP: '10.0.0.77',
        clusterIPs: ['10.0.0.77'],
      }),
      status,
    });
    const name = 'fresh.testns.example.com';
    api.apply('Service', lb({ loadBalancer: {} }));
    await pollUntil(
      () => queryUdp(udp, makeQuery('fresh.testns.svc.cluster.local', 'A')).then(rcodeOf),
      (r) => r === 'NOERROR',
      { what: 'the pending LoadBalancer in the cluster zone' },
    );
    assert.equal(await a(name), 'NXDOMAIN', 'no ingress point yet: no external name');
    api.apply('Service', lb({ loadBalancer: { ingress: [{ ip: '192.0.2.77' }] } }));
    await pollUntil(
      () => a(name),
      (o) => o === `NOERROR ${name}. 5 IN A 192.0.2.77`,
      { what: `${name} answering` },
    );
    api.remove('Service', 'testns', 'fresh');
    await pollUntil(
      () => a(name),
      (o) => o === 'NXDOMAIN',
      { what: `${name} gone` },
    );
  },
);

test(
  'fallthrough: a name the external zone lacks goes on to the next plugin (file)',
  GUARD,
  async () => {
    const zone = join(dir, 'db.example.com');
    writeFileSync(
      zone,
      '$ORIGIN example.com.\n@ 60 IN SOA ns.example.com. h.example.com. 1 7200 1800 86400 60\nwww 60 IN A 192.0.2.10\n',
    );
    const rows: [string, string, string[]][] = [
      [
        '  k8s_external example.com {\n    fallthrough\n  }',
        'www',
        ['www.example.com. 60 IN A 192.0.2.10'],
      ],
      [
        '  k8s_external example.com {\n    fallthrough\n  }',
        'svc1.testns',
        ['svc1.testns.example.com. 5 IN A 1.2.3.4'],
      ],
      ['  k8s_external example.com', 'www', []],
    ];
    for (const [directive, label, want] of rows) {
      const path = corefile(
        `example.com cluster.local {\n${directive}\n  kubernetes cluster.local {\n    snapshot ${join(REPO_ROOT, FIXTURE)}\n  }\n  file ${zone} example.com\n}\n`,
      );
      const c = await startContainer(['--corefile', path]);
      try {
        const r = await queryUdp(c.udp, makeQuery(`${label}.example.com`, 'A'));
        assert.deepEqual(lines(r.answers), want, `${directive} ${label}`);
        assert.equal(rcodeOf(r), want.length ? 'NOERROR' : 'NXDOMAIN', `${directive} ${label}`);
      } finally {
        await c.stop();
      }
    }
  },
);
