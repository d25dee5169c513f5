// A Corefile in the shape CoreDNS users run (a shared snippet imported by every block, kubernetes
// from a snapshot with `pods insecure` and reverse fallthrough, forward to a loopback upstream,
// the process plugins), read by the container with --corefile and answered over UDP and TCP as
// CoreDNS answers it. The expected answers follow CoreDNS's plugin documentation and tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { queryTcp, queryUdp, makeQuery, rcodeOf } from './support/dns-client.ts';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer } from './support/container.ts';
import { a, answer, startScriptedUpstream } from './support/scripted-upstream.ts';
import { toPresentation } from './support/presentation.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-corefile-'));

const zoneFile = join(dir, 'db.example.org');
writeFileSync(
  zoneFile,
  [
    '$ORIGIN example.org.',
    '$TTL 300',
    '@ IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 1800 86400 60',
    '@ IN NS ns1.example.org.',
    'ns1 IN A 192.0.2.53',
    'www IN A 192.0.2.10',
    'www IN A 192.0.2.11',
    'alias IN CNAME www',
    '',
  ].join('\n'),
);

function corefile(upstream: string): string {
  return `
(common) {
  errors
  cache 30
  loadbalance
  reload 0
}
cluster.local:1053 in-addr.arpa:1053 corp.internal:1053 {
  import common
  rewrite name suffix .corp.internal. .cluster.local. answer auto
  kubernetes cluster.local in-addr.arpa {
    snapshot ${join(REPO_ROOT, SAMPLE_CLUSTER)}
    pods insecure
    fallthrough in-addr.arpa
  }
  forward . ${upstream}
}
example.org:1053 {
  import common
  file ${zoneFile}
  hosts {
    10.0.0.7 gateway.example.org
    fallthrough
  }
}
.:1053 {
  import common
  template IN A ip.example.net {
    match "^ip-(?P<a>[0-9]+)-(?P<b>[0-9]+)-(?P<c>[0-9]+)-(?P<d>[0-9]+)[.]ip[.]example[.]net[.]$"
    answer "{{ .Name }} 60 IN A {{ .Group.a }}.{{ .Group.b }}.{{ .Group.c }}.{{ .Group.d }}"
    fallthrough
  }
  template IN ANY blocked.example.net {
    rcode NXDOMAIN
    authority "blocked.example.net. 60 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 60 60"
  }
  forward . ${upstream}
}
`;
}

type Row = [question: string, rcode: string, answers: string[], authority?: string[]];

const SOA_ORG =
  'example.org. 60 IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 1800 86400 60';
const rows: Row[] = [
  [
    'kubernetes.default.svc.cluster.local A',
    'NOERROR',
    ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
  ],
  // `pods insecure`: any dashed address answers.
  [
    '10-1-2-3.default.pod.cluster.local A',
    'NOERROR',
    ['10-1-2-3.default.pod.cluster.local. 5 IN A 10.1.2.3'],
  ],
  ['absent.default.svc.cluster.local A', 'NXDOMAIN', []],
  // rewrite ... answer auto in front of kubernetes: the client sees the name it asked.
  [
    'kubernetes.default.svc.corp.internal A',
    'NOERROR',
    ['kubernetes.default.svc.corp.internal. 5 IN A 10.96.0.1'],
  ],
  // A reverse name the cluster lacks falls through to forward; `cache 30` caps the TTL at 30.
  ['4.3.2.1.in-addr.arpa PTR', 'NOERROR', ['4.3.2.1.in-addr.arpa. 30 IN PTR upstream.example.']],
  ['www.example.com A', 'NOERROR', ['www.example.com. 30 IN A 127.0.0.5']],
  // hosts runs before file (CoreDNS's order, not the order written) and falls through to it.
  ['gateway.example.org A', 'NOERROR', ['gateway.example.org. 3600 IN A 10.0.0.7']],
  [
    'www.example.org A',
    'NOERROR',
    ['www.example.org. 300 IN A 192.0.2.10', 'www.example.org. 300 IN A 192.0.2.11'],
    ['example.org. 300 IN NS ns1.example.org.'],
  ],
  [
    'alias.example.org A',
    'NOERROR',
    [
      'alias.example.org. 300 IN CNAME www.example.org.',
      'www.example.org. 300 IN A 192.0.2.10',
      'www.example.org. 300 IN A 192.0.2.11',
    ],
    ['example.org. 300 IN NS ns1.example.org.'],
  ],
  ['missing.example.org A', 'NXDOMAIN', [], [SOA_ORG]],
  // template: named groups; a zone answered NXDOMAIN with its authority.
  ['ip-10-1-2-3.ip.example.net A', 'NOERROR', ['ip-10-1-2-3.ip.example.net. 60 IN A 10.1.2.3']],
  [
    'x.blocked.example.net A',
    'NXDOMAIN',
    [],
    ['blocked.example.net. 60 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 60 60'],
  ],
];

test('a seed-shaped Corefile answers as CoreDNS over UDP and TCP', async () => {
  const up = await startScriptedUpstream();
  up.script('www.example.com', 'A', answer([a('www.example.com', '127.0.0.5', 300)]));
  up.script(
    '4.3.2.1.in-addr.arpa',
    'PTR',
    answer([
      {
        name: '4.3.2.1.in-addr.arpa',
        type: 'PTR',
        class: 'IN',
        ttl: 300,
        data: 'upstream.example',
      },
    ]),
  );
  const file = join(dir, 'Corefile');
  writeFileSync(file, corefile(up.address));
  const c = await startContainer(['--corefile', file]);
  try {
    for (const [question, rcode, expected, authority] of rows) {
      const [name, type] = question.split(' ') as [string, RecordType];
      const udp = await queryUdp(c.udp, makeQuery(name, type));
      const [tcp] = await queryTcp(c.tcp, [makeQuery(name, type)]);
      for (const [how, reply] of [
        ['udp', udp],
        ['tcp', tcp!],
      ] as const) {
        assert.equal(rcodeOf(reply), rcode, `${question} over ${how}`);
        // loadbalance shuffles address records: compare them in order.
        const text = (rrs?: unknown[]) =>
          (rrs ?? [])
            .map((r) => toPresentation(r as never).replace(/ (29|28) IN /, ' 30 IN '))
            .sort();
        assert.deepEqual(text(reply.answers), [...expected].sort(), `${question} over ${how}`);
        if (authority)
          assert.deepEqual(text(reply.authorities), [...authority].sort(), `${question} authority`);
      }
    }
    // Cluster names never go upstream; the reverse name that fell through did.
    assert.equal(up.log.filter((q) => q.name.endsWith('cluster.local')).length, 0);
    assert.equal(up.count('4.3.2.1.in-addr.arpa', 'PTR'), 1);
  } finally {
    await c.stop();
    await up.close();
  }
});

test('a Corefile error names its file and line, and the process exits 2', async () => {
  const file = join(dir, 'Bad');
  writeFileSync(
    file,
    '.:1053 {\n  kubernetes cluster.local {\n    pods sometimes\n  }\n  webhook\n}\n',
  );
  await assert.rejects(startContainer(['--corefile', file]), (error: Error) => {
    assert.match(error.message, /Bad:5 - Error during parsing: unknown directive 'webhook'/);
    return true;
  });
});
