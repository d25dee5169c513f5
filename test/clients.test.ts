// Real clients (dig, kdig) against the container entry on 127.0.0.1: what a user's tools see.
// Answers are those CoreDNS's kubernetes plugin gives for the same cluster (ttl 5, SOA
// `ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 5`); truncation per RFC 1035
// §4.2.1 / RFC 6891 §7 with our EDNS size 1232 (docs/architecture.md §6.8).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_CLUSTER, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryUdp } from './support/dns-client.ts';
import { normalizeLine } from './support/presentation.ts';
import { parseClientOutput, type ClientReply } from './support/client-output.ts';
import { requireTool, run } from './support/tools.ts';

const LARGE_HEADLESS = 'test/fixtures/large-headless.json';
const KUBERNETES = 'kubernetes.default.svc.cluster.local';
const MANY = 'many.big.svc.cluster.local';

type Tool = 'dig' | 'kdig';

let server: Container;
let serial = 0;

/** Runs dig or kdig against our server; `options` and `query` as on the command line. */
async function ask(tool: Tool, options: string[], query: string[]): Promise<ClientReply> {
  const tcp = options.includes('+tcp');
  const port = String(tcp ? server.tcp.port : server.udp.port);
  const args =
    tool === 'dig'
      ? [
          '-r',
          '-p',
          port,
          '@127.0.0.1',
          '+time=2',
          '+tries=1',
          '+noall',
          '+comments',
          '+answer',
          '+authority',
          '+additional',
          '+stats',
          ...options,
          ...query,
        ]
      : ['-p', port, '@127.0.0.1', '+timeout=2', '+retry=0', ...options, ...query];
  const reply = parseClientOutput(await run(tool, args));
  assert.ok(reply.status, `no reply header in ${tool} output:\n${reply.text}`);
  return reply;
}

const soa = (zone: string) =>
  normalizeLine(
    `${zone}. 5 IN SOA ns.dns.${zone}. hostmaster.${zone}. ${serial} 7200 1800 86400 5`,
  );
const lines = (...records: string[]) => records.map(normalizeLine);

/** The ready addresses of the large headless service, from its fixture. */
function manyAddresses(): string[] {
  const list = JSON.parse(readFileSync(join(REPO_ROOT, LARGE_HEADLESS), 'utf8')) as {
    items: {
      kind: string;
      endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[];
    }[];
  };
  const slices = list.items.filter((item) => item.kind === 'EndpointSlice');
  return slices.flatMap((s) =>
    (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses),
  );
}

before(async () => {
  server = await startContainer(['--snapshot', SAMPLE_CLUSTER, '--snapshot', LARGE_HEADLESS]);
  const reply = await queryUdp(server.udp, makeQuery('cluster.local', 'SOA'));
  const record = reply.answers?.[0];
  if (record?.type !== 'SOA') assert.fail(`cluster.local SOA: ${JSON.stringify(reply.answers)}`);
  serial = record.data.serial ?? 0;
});
after(async () => {
  await server?.stop();
});

const clients: { tool: Tool; options: string[]; transport: 'UDP' | 'TCP' }[] = [
  { tool: 'dig', options: [], transport: 'UDP' },
  { tool: 'dig', options: ['+tcp'], transport: 'TCP' },
  { tool: 'kdig', options: [], transport: 'UDP' },
  { tool: 'kdig', options: ['+tcp'], transport: 'TCP' },
];

const cases: {
  name: string;
  query: string[];
  status: string;
  answer: string[];
  authority?: string[];
  additional?: string[];
  only?: Tool;
}[] = [
  {
    name: 'A of a ClusterIP service',
    query: [KUBERNETES, 'A'],
    status: 'NOERROR',
    answer: lines(`${KUBERNETES}. 5 IN A 10.96.0.1`),
  },
  // Answers echo the question's case (dns-0x20; CoreDNS keeps the question's name). dig only:
  // kdig lowercases the name before sending it.
  {
    name: 'A asked in mixed case',
    query: ['KuberNetes.Default.svc.Cluster.Local', 'A'],
    status: 'NOERROR',
    answer: lines('KuberNetes.Default.svc.Cluster.Local. 5 IN A 10.96.0.1'),
    only: 'dig',
  },
  {
    name: 'SRV of a named port, target address in additional',
    query: [`_https._tcp.${KUBERNETES}`, 'SRV'],
    status: 'NOERROR',
    answer: lines(`_https._tcp.${KUBERNETES}. 5 IN SRV 0 100 443 ${KUBERNETES}.`),
    additional: lines(`${KUBERNETES}. 5 IN A 10.96.0.1`),
  },
  {
    name: 'PTR of a cluster IP (-x)',
    query: ['-x', '10.96.0.1'],
    status: 'NOERROR',
    answer: lines(`1.0.96.10.in-addr.arpa. 5 IN PTR ${KUBERNETES}.`),
  },
  {
    name: 'NXDOMAIN with the SOA in authority',
    query: ['nosuch.default.svc.cluster.local', 'A'],
    status: 'NXDOMAIN',
    answer: [],
    authority: ['cluster.local'],
  },
  {
    name: 'AAAA NODATA with the SOA in authority',
    query: [KUBERNETES, 'AAAA'],
    status: 'NOERROR',
    answer: [],
    authority: ['cluster.local'],
  },
];

for (const client of clients) {
  describe(`${client.tool}${client.options.length ? ` ${client.options.join(' ')}` : ''} over ${client.transport}`, () => {
    for (const c of cases.filter((c) => (c.only ?? client.tool) === client.tool)) {
      test(c.name, async (t) => {
        const skip = requireTool(client.tool);
        if (skip) return t.skip(skip);
        const reply = await ask(client.tool, client.options, c.query);
        const context = `${client.tool} ${[...client.options, ...c.query].join(' ')}\n${reply.text}`;
        assert.equal(reply.status, c.status, context);
        assert.ok(reply.flags.includes('aa'), `flags ${reply.flags.join(' ')} lack aa: ${context}`);
        assert.ok(!reply.flags.includes('tc'), `unexpected tc: ${context}`);
        assert.equal(reply.transport, client.transport, context);
        assert.deepEqual(reply.answer, c.answer, context);
        assert.deepEqual(reply.authority, (c.authority ?? []).map(soa), context);
        assert.deepEqual(reply.additional, c.additional ?? [], context);
      });
    }
  });
}

describe('EDNS(0) buffer size (RFC 6891)', () => {
  const table: { tool: Tool; options: string[]; udpSize: number | undefined; maxSize: number }[] = [
    { tool: 'dig', options: ['+bufsize=1232'], udpSize: 1232, maxSize: 1232 },
    // We advertise our own size, 1232, whatever the client offers (docs/architecture.md §6.8,
    // RFC 6891 §6.2.3). CoreDNS without its bufsize plugin would echo the client's 4096 here.
    { tool: 'dig', options: ['+bufsize=4096'], udpSize: 1232, maxSize: 1232 },
    { tool: 'dig', options: ['+noedns'], udpSize: undefined, maxSize: 512 },
    { tool: 'kdig', options: ['+bufsize=1232'], udpSize: 1232, maxSize: 1232 },
    { tool: 'kdig', options: ['+noedns'], udpSize: undefined, maxSize: 512 },
  ];
  for (const row of table) {
    test(`${row.tool} ${row.options.join(' ')}: OPT ${row.udpSize ?? 'absent'}, reply within ${row.maxSize} bytes`, async (t) => {
      const skip = requireTool(row.tool);
      if (skip) return t.skip(skip);
      const reply = await ask(row.tool, row.options, [KUBERNETES, 'A']);
      assert.equal(reply.status, 'NOERROR', reply.text);
      assert.equal(reply.udpSize, row.udpSize, reply.text);
      assert.deepEqual(reply.answer, lines(`${KUBERNETES}. 5 IN A 10.96.0.1`), reply.text);
      assert.ok(
        reply.size !== undefined && reply.size <= row.maxSize,
        `reply of ${reply.size} bytes: ${reply.text}`,
      );
    });
  }
});

describe(`a headless service with 120 ready endpoints (${LARGE_HEADLESS})`, () => {
  const expected = manyAddresses();
  const all = expected.map((ip) => normalizeLine(`${MANY}. 5 IN A ${ip}`)).sort();

  test('the fixture holds 120 ready addresses', () => {
    assert.equal(new Set(expected).size, 120);
  });

  // Over UDP the reply keeps what fits and sets TC (RFC 1035 §4.2.1); +ignore stops the retry.
  const truncated: { tool: Tool; options: string[]; maxSize: number }[] = [
    { tool: 'dig', options: ['+ignore', '+noedns'], maxSize: 512 },
    { tool: 'dig', options: ['+ignore', '+bufsize=1232'], maxSize: 1232 },
    { tool: 'kdig', options: ['+notcp', '+ignore'], maxSize: 512 },
  ];
  for (const row of truncated) {
    test(`${row.tool} ${row.options.join(' ')}: tc, fewer than 120 answers, at most ${row.maxSize} bytes`, async (t) => {
      const skip = requireTool(row.tool);
      if (skip) return t.skip(skip);
      const reply = await ask(row.tool, row.options, [MANY, 'A']);
      assert.equal(reply.status, 'NOERROR', reply.text);
      assert.ok(
        reply.flags.includes('tc'),
        `flags ${reply.flags.join(' ')} lack tc: ${reply.text}`,
      );
      assert.equal(reply.transport, 'UDP', reply.text);
      assert.ok(reply.answer.length < 120, `${reply.answer.length} answers: ${reply.text}`);
      for (const rr of reply.answer)
        assert.ok(all.includes(rr), `not one of the service's records: ${rr}`);
      assert.ok(
        reply.size !== undefined && reply.size <= row.maxSize,
        `reply of ${reply.size} bytes: ${reply.text}`,
      );
    });
  }

  test('dig by default gets tc over UDP, retries over TCP and gets all 120 A records', async (t) => {
    const skip = requireTool('dig');
    if (skip) return t.skip(skip);
    const reply = await ask('dig', [], [MANY, 'A']);
    assert.ok(reply.retriedOverTcp, `dig did not retry over TCP: ${reply.text}`);
    assert.equal(reply.transport, 'TCP', reply.text);
    assert.equal(reply.status, 'NOERROR', reply.text);
    assert.ok(!reply.flags.includes('tc'), reply.text);
    assert.deepEqual([...reply.answer].sort(), all);
  });

  test('kdig +tcp gets all 120 A records', async (t) => {
    const skip = requireTool('kdig');
    if (skip) return t.skip(skip);
    const reply = await ask('kdig', ['+tcp'], [MANY, 'A']);
    assert.equal(reply.transport, 'TCP', reply.text);
    assert.equal(reply.status, 'NOERROR', reply.text);
    assert.ok(!reply.flags.includes('tc'), reply.text);
    assert.deepEqual([...reply.answer].sort(), all);
  });
});
