// Zonal names (CoreDNS `kubernetes { zonal }`, docs/architecture.md §6.20) in a running container,
// over real UDP and TCP: CoreDNS's zonal_test.go cases from a snapshot with `--zonal` and with the
// Corefile option, its disabled case without, the Corefile refusals, and a live cluster where a
// zone-only EndpointSlice change moves the answers (CoreDNS TestEndpointsEquivalentZoneChange).
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { REPO_ROOT, parseReadyLine, startContainer, type Container } from './support/container.ts';
import { makeQuery, queryTcp, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';
import { KubeApiServer, type KubeKind } from './support/kube-api-server.ts';
import type { Json } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { sectionLines } from './support/presentation.ts';
import { DISABLED_ROWS, FIXTURE, PARSE_ROWS, ROWS, check, type Row } from './zonal/cases.ts';

const GUARD = { timeout: 90_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-zonal-'));

async function checkRows(c: Pick<Container, 'udp' | 'tcp'>, rows: Row[]) {
  for (const row of rows) {
    const [name, type] = row.q.split(' ') as [string, RecordType];
    // EDNS (RFC 6891): CoreDNS's test answers with no size limit.
    const query = () => makeQuery(name, type, { edns: 1232 });
    check(row, await queryUdp(c.udp, query()), `udp ${row.q}`);
    const [reply] = await queryTcp(c.tcp, [query()]);
    check(row, reply!, `tcp ${row.q}`);
  }
}

const snapshotArgs = ['--snapshot', FIXTURE, '--namespaces', 'testns'];

describe('zonal from a snapshot', GUARD, () => {
  it("--zonal: CoreDNS's cases, and the shapes parse.go reads otherwise", async () => {
    const c = await startContainer([...snapshotArgs, '--zonal']);
    try {
      await checkRows(c, [...ROWS, ...PARSE_ROWS]);
    } finally {
      await c.stop();
    }
  });
  it("without the option: CoreDNS's disabled case", async () => {
    const c = await startContainer(snapshotArgs);
    try {
      await checkRows(c, DISABLED_ROWS);
    } finally {
      await c.stop();
    }
  });
});

const corefile = (name: string, options: string[]) => {
  const path = join(dir, name);
  const block = [`    snapshot ${join(REPO_ROOT, FIXTURE)}`, '    namespaces testns', ...options];
  writeFileSync(path, ['. {', '  kubernetes cluster.local {', ...block, '  }', '}', ''].join('\n'));
  return path;
};

test("Corefile `zonal`: CoreDNS's cases", GUARD, async () => {
  const c = await startContainer(['--corefile', corefile('Corefile', ['    zonal'])]);
  try {
    await checkRows(c, ROWS);
  } finally {
    await c.stop();
  }
});

test(
  'Corefile: `zonal ARG` and `zonal` with `noendpoints` are refused at their line',
  GUARD,
  async () => {
    // CoreDNS setup_test.go TestKubernetesParseZonal: both are errors.
    await assert.rejects(
      startContainer(['--corefile', corefile('Corefile.arg', ['    zonal us-west-2a'])]),
      /Corefile\.arg:5\b.*zonal: expected no arguments/,
    );
    await assert.rejects(
      startContainer(['--corefile', corefile('Corefile.noep', ['    zonal', '    noendpoints'])]),
      /Corefile\.noep:6\b.*noendpoints: option not supported by edge-dns/,
    );
  },
);

test('live: a zone-only EndpointSlice change moves the zonal answers', GUARD, async (t) => {
  const api = await KubeApiServer.start();
  const list = JSON.parse(readFileSync(join(REPO_ROOT, FIXTURE), 'utf8')) as {
    items: (Json & { kind: KubeKind })[];
  };
  for (const item of list.items) api.apply(item.kind, item);
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  api.writeKubeconfig(kubeconfig);
  const c = startEntry('functions/entry/container.ts', [
    ...['--kubeconfig', kubeconfig, '--namespaces', 'testns', '--zonal', '--dns', '127.0.0.1:0'],
  ]);
  t.after(async () => {
    await c.stop();
    await api.close();
  });
  const addrs = parseReadyLine(
    await c.waitFor(/^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/, {
      stream: 'stdout',
    }),
  )!;
  await checkRows(addrs, ROWS);

  const slice = list.items.find((i) => i.kind === 'EndpointSlice')!;
  const moved = JSON.parse(JSON.stringify(slice)) as { endpoints: { zone: string }[] };
  moved.endpoints[0]!.zone = 'us-west-2c';
  api.apply('EndpointSlice', moved as unknown as Json);
  const name = 'us-west-2c.pin._zone.hdls.testns.svc.cluster.local';
  await pollUntil(
    async () => {
      const r = await queryUdp(addrs.udp, makeQuery(name, 'A'));
      return [rcodeOf(r), ...sectionLines(r.answers)].join(' ');
    },
    (o) => o === `NOERROR ${name}. 5 IN A 172.0.0.1`,
    { what: `${name} answering after the zone moved` },
  );
  const gone = await queryUdp(
    addrs.udp,
    makeQuery(`us-west-2a.pin._zone.hdls.testns.svc.cluster.local`, 'A'),
  );
  assert.equal(rcodeOf(gone), 'NOERROR');
  assert.deepEqual(sectionLines(gone.answers), []);
});
