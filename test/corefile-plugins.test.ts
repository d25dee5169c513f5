// The block plugins `any`, `bufsize`, `loop` and `autopath` in a running container, asked over UDP and TCP as
// CoreDNS answers (plugin/any README, plugin/bufsize README, plugin/loop README): a Corefile,
// its zone file and upstreams on loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answer, RecordType } from 'dns-packet';
import { makeQuery, queryTcp, queryUdp, rcodeOf } from './support/dns-client.ts';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer } from './support/container.ts';
import { startEntry } from './support/entry-process.ts';
import { answer, a, startScriptedUpstream } from './support/scripted-upstream.ts';
import { toPresentation } from './support/presentation.ts';

const GUARD = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-corefile-plugins-'));
const zoneFile = join(dir, 'db.example.org');
// 40 A records for big.example.org: about 680 bytes of answer, past 512 and within 1232.
const BIG = Array.from({ length: 40 }, (_, i) => `big IN A 192.0.2.${i + 1}`);
writeFileSync(
  zoneFile,
  [
    '$ORIGIN example.org.',
    '$TTL 300',
    '@ IN SOA ns1.example.org. hostmaster.example.org. 1 7200 1800 86400 60',
    '@ IN NS ns1.example.org.',
    'ns1 IN A 192.0.2.53',
    'www IN A 192.0.2.10',
    ...BIG,
    '',
  ].join('\n'),
);

function corefile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Presentation format, HINFO with its two character-strings (RFC 1035 §3.3.2). */
const present = (rr: Answer) =>
  rr.type === 'HINFO'
    ? `${rr.name}. ${rr.ttl} IN HINFO "${rr.data.cpu}" "${rr.data.os}"`
    : toPresentation(rr);

const TC = 0x0200;
const tcOf = (raw: Buffer) => (raw.readUInt16BE(2) & TC ? 'TC' : 'no TC');

test('any: an ANY question gets one HINFO, other types their records', GUARD, async () => {
  const path = corefile('Corefile.any', `example.org {\n  any\n  file ${zoneFile}\n}\n`);
  const c = await startContainer(['--corefile', path]);
  try {
    const rows: [question: string, rcode: string, answers: string[]][] = [
      [
        'www.example.org ANY',
        'NOERROR',
        ['www.example.org. 8482 IN HINFO "ANY obsoleted" "See RFC 8482"'],
      ],
      [
        'nope.example.org ANY',
        'NOERROR',
        ['nope.example.org. 8482 IN HINFO "ANY obsoleted" "See RFC 8482"'],
      ],
      ['www.example.org A', 'NOERROR', ['www.example.org. 300 IN A 192.0.2.10']],
      ['nope.example.org A', 'NXDOMAIN', []],
    ];
    for (const [question, rcode, answers] of rows) {
      const [name, type] = question.split(' ') as [string, RecordType];
      const reply = await queryUdp(c.udp, makeQuery(name, type));
      assert.deepEqual(
        [rcodeOf(reply), reply.answers?.map(present) ?? []],
        [rcode, answers],
        question,
      );
    }
  } finally {
    await c.stop();
  }
});

test(
  'bufsize: a UDP answer is cut to SIZE whatever the client advertises; TCP is whole',
  GUARD,
  async () => {
    // [bufsize line, the client's EDNS size, TC over UDP, OPT size advertised back]
    const rows: [
      bufsize: string,
      edns: number | false,
      tc: string,
      advertised: number | undefined,
    ][] = [
      ['bufsize 512', 4096, 'TC', 512],
      ['bufsize 512', false, 'TC', undefined],
      ['bufsize', 4096, 'no TC', 1232],
      ['bufsize 1232', 1232, 'no TC', 1232],
      ['bufsize 1232', 600, 'TC', 1232],
      ['errors', 4096, 'no TC', 1232], // no bufsize: edge-dns's own 1232
    ];
    for (const [bufsize, edns, tc, advertised] of rows) {
      const path = corefile(
        'Corefile.bufsize',
        `example.org {\n  ${bufsize}\n  file ${zoneFile}\n}\n`,
      );
      const c = await startContainer(['--corefile', path]);
      try {
        const what = `${bufsize}, client EDNS ${edns}`;
        const udp = await queryUdp(c.udp, makeQuery('big.example.org', 'A', { edns }));
        const opt = udp.additionals?.find((rr) => rr.type === 'OPT') as
          { udpPayloadSize?: number } | undefined;
        assert.deepEqual([tcOf(udp.raw), opt?.udpPayloadSize], [tc, advertised], what);
        if (tc === 'TC')
          assert.ok(udp.raw.length <= (bufsize === 'bufsize 512' ? 512 : 1232), what);
        else assert.equal(udp.answers?.length, 40, what);
        const [tcp] = await queryTcp(c.tcp, [makeQuery('big.example.org', 'A', { edns })]);
        assert.equal(tcp?.answers?.length, 40, `${what} over TCP`);
      } finally {
        await c.stop();
      }
    }
  },
);

/**
 * A port free on 127.0.0.1 for both UDP and TCP now (the server is about to bind both): a UDP port
 * alone can be some other test's TCP port at the same moment.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const { port } = s.address();
    const tcp = createServer();
    const free = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => (free ? tcp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => s.close(() => resolve()));
    if (free || attempt >= 20) return port;
  }
}

test(
  'loop: a forward to this server itself is found at start; the process says so and exits 1',
  GUARD,
  async () => {
    const port = await freePort();
    const path = corefile(
      'Corefile.loop',
      `.:${port} {\n  loop\n  forward . 127.0.0.1:${port}\n}\n`,
    );
    const p = startEntry('functions/entry/container.ts', [
      '--corefile',
      path,
      '--dns',
      `127.0.0.1:${port}`,
    ]);
    assert.equal(await p.exited, 1, p.stderr());
    assert.match(
      p.stderr(),
      new RegExp(
        String.raw`\[FATAL\] plugin/loop: Loop \(.* -> 127\.0\.0\.1:${port}\) detected for zone "\.", ` +
          String.raw`see https://coredns\.io/plugins/loop#troubleshooting\. Query: "HINFO \d+\.\d+\."`,
      ),
    );
  },
);

test(
  'loop: an upstream that answers the probe is no loop; the server keeps serving',
  GUARD,
  async () => {
    const upstream = await startScriptedUpstream();
    upstream.script('www.example.net', 'A', answer([a('www.example.net', '198.51.100.7')]));
    const path = corefile('Corefile.noloop', `. {\n  loop\n  forward . ${upstream.address}\n}\n`);
    const c = await startContainer(['--corefile', path]);
    try {
      const probe = await upstream.nextQuery((q) => q.type === 'HINFO');
      assert.match(probe.name, /^\d+\.\d+$/, 'HINFO <random>.<random>. for the root zone');
      const reply = await queryUdp(c.udp, makeQuery('www.example.net', 'A'));
      assert.deepEqual(reply.answers?.map(toPresentation), [
        'www.example.net. 300 IN A 198.51.100.7',
      ]);
      assert.doesNotMatch(c.stderr(), /FATAL/);
    } finally {
      await c.stop();
      await upstream.close();
    }
  },
);

test('autopath @kubernetes: a pod walks its search path in one query', GUARD, async () => {
  // The sample cluster with one more pod in namespace shop at the address the test asks from.
  const cluster = JSON.parse(readFileSync(join(REPO_ROOT, SAMPLE_CLUSTER), 'utf8')) as {
    items: unknown[];
  };
  cluster.items.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', namespace: 'shop' },
    status: { phase: 'Running', podIP: '127.0.0.1', podIPs: [{ ip: '127.0.0.1' }] },
  });
  const snapshot = join(dir, 'autopath-cluster.json');
  writeFileSync(snapshot, JSON.stringify(cluster));
  const upstream = await startScriptedUpstream();
  upstream.script('www.example.net', 'A', answer([a('www.example.net', '198.51.100.7')]));
  const path = corefile(
    'Corefile.autopath',
    `. {\n  autopath @kubernetes\n  kubernetes cluster.local {\n    snapshot ${snapshot}\n    pods verified\n  }\n  forward . ${upstream.address}\n}\n`,
  );
  const c = await startContainer(['--corefile', path]);
  try {
    const rows: [question: string, rcode: string, answers: string[]][] = [
      // Found as asked: as it is.
      ['web.shop.svc.cluster.local', 'NOERROR', ['web.shop.svc.cluster.local. 5 IN A 10.96.12.34']],
      // `kubernetes.default` from a pod in shop: its resolver asks under shop.svc first.
      [
        'kubernetes.default.shop.svc.cluster.local',
        'NOERROR',
        [
          'kubernetes.default.shop.svc.cluster.local. 5 IN CNAME kubernetes.default.svc.cluster.local.',
          'kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1',
        ],
      ],
      // A name outside the cluster: the bare name, forwarded.
      [
        'www.example.net.shop.svc.cluster.local',
        'NOERROR',
        [
          'www.example.net.shop.svc.cluster.local. 300 IN CNAME www.example.net.',
          'www.example.net. 300 IN A 198.51.100.7',
        ],
      ],
      // Another namespace's search domain: not this pod's, no walk.
      ['kubernetes.default.edge.svc.cluster.local', 'NXDOMAIN', []],
    ];
    for (const [name, rcode, answers] of rows) {
      // Twice: the second must not come from an answer cache that ignores the client.
      for (const round of [1, 2]) {
        const reply = await queryUdp(c.udp, makeQuery(name, 'A'));
        assert.deepEqual(
          [rcodeOf(reply), reply.answers?.map(toPresentation) ?? []],
          [rcode, answers],
          `${name} (${round})`,
        );
      }
    }
  } finally {
    await c.stop();
    await upstream.close();
  }
});
