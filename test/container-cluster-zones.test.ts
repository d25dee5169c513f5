// Cluster zones in the container (docs/architecture.md §6.17), as a real process: two test
// Kubernetes API servers, one per cluster, and the container watching both, configured by a
// Corefile with a block per cluster and by --cluster-zone. Each zone answers its own cluster's
// Services, SRV targets in the zone; reverse names answer each cluster's PTRs, the cluster written
// first winning an address both hold; names outside every zone are REFUSED. A cluster that cannot
// list answers SERVFAIL in its zone only; a change in one cluster changes only its zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordType } from 'dns-packet';
import { parseDnsAddresses } from './support/container.ts';
import {
  makeQuery,
  queryTcp,
  queryUdp,
  rcodeOf,
  type Addr,
  type Reply,
} from './support/dns-client.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { serviceObject } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { getProbe } from './support/probe-client.ts';

const ENTRY = 'functions/entry/container.ts';
const GUARD = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-cluster-zones-'));
const EAST = 'east.k8s.example.com';
const WEST = 'west.k8s.example.com';

/** Each cluster's Services: `web` in both (other addresses), `api` in west only, and the same
 *  `kubernetes` address in both (overlapping ranges). */
const SERVICES: Record<string, [ns: string, name: string, ip: string][]> = {
  east: [
    ['default', 'kubernetes', '10.0.0.1'],
    ['shop', 'web', '10.1.0.10'],
  ],
  west: [
    ['default', 'kubernetes', '10.0.0.1'],
    ['shop', 'web', '10.2.0.10'],
    ['shop', 'api', '10.2.0.20'],
  ],
};

async function cluster(name: string): Promise<{ api: KubeApiServer; kubeconfig: string }> {
  const api = await KubeApiServer.start();
  for (const [ns, svc, ip] of SERVICES[name]!)
    api.apply('Service', serviceObject(ns, svc, { clusterIP: ip, clusterIPs: [ip] }));
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  api.writeKubeconfig(kubeconfig);
  return { api, kubeconfig };
}

/** A reply in one line: the rcode, then each answer's data (SRV: port and target) and, after
 *  `+`, the additional addresses (`name=ip`). */
function outcome(reply: Reply): string {
  const data = (reply.answers ?? []).map((a) =>
    a.type === 'SRV' ? `${a.data.port} ${a.data.target}` : String((a as { data: unknown }).data),
  );
  const extra = (reply.additionals ?? []).flatMap((a) =>
    a.type === 'A' ? [`${a.name}=${a.data}`] : [],
  );
  return [rcodeOf(reply), ...data.sort(), ...(extra.length ? ['+', ...extra] : [])].join(' ');
}

/** [name, type, the outcome over UDP and TCP]. */
const ROWS: [string, RecordType, string][] = [
  [`web.shop.svc.${EAST}`, 'A', 'NOERROR 10.1.0.10'],
  [`web.shop.svc.${WEST}`, 'A', 'NOERROR 10.2.0.10'],
  [`api.shop.svc.${WEST}`, 'A', 'NOERROR 10.2.0.20'],
  [`api.shop.svc.${EAST}`, 'A', 'NXDOMAIN'],
  [
    `_http._tcp.web.shop.svc.${EAST}`,
    'SRV',
    `NOERROR 80 web.shop.svc.${EAST} + web.shop.svc.${EAST}=10.1.0.10`,
  ],
  [
    `_http._tcp.api.shop.svc.${WEST}`,
    'SRV',
    `NOERROR 80 api.shop.svc.${WEST} + api.shop.svc.${WEST}=10.2.0.20`,
  ],
  ['10.0.1.10.in-addr.arpa', 'PTR', `NOERROR web.shop.svc.${EAST}`],
  ['10.0.2.10.in-addr.arpa', 'PTR', `NOERROR web.shop.svc.${WEST}`],
  ['20.0.2.10.in-addr.arpa', 'PTR', `NOERROR api.shop.svc.${WEST}`],
  // Both clusters hold 10.0.0.1: the one written first answers.
  ['1.0.0.10.in-addr.arpa', 'PTR', `NOERROR kubernetes.default.svc.${EAST}`],
  ['30.0.2.10.in-addr.arpa', 'PTR', 'NXDOMAIN'],
  ['web.shop.svc.cluster.local', 'A', 'REFUSED'],
  ['example.org', 'A', 'REFUSED'],
];

const overUdp = async (udp: Addr, name: string, type: RecordType) =>
  outcome(await queryUdp(udp, makeQuery(name, type)));

/** The outcome over UDP, checked the same over TCP. */
async function ask(udp: Addr, tcp: Addr, name: string, type: RecordType) {
  const over = await overUdp(udp, name, type);
  const [reply] = await queryTcp(tcp, [makeQuery(name, type)]);
  assert.equal(outcome(reply!), over, `${name} ${type}: TCP as UDP`);
  return over;
}

async function checkRows(udp: Addr, tcp: Addr) {
  for (const [name, type, want] of ROWS)
    assert.equal(await ask(udp, tcp, name, type), want, `${name} ${type}`);
}

/** The container started with `args`; its DNS and probe addresses once it listens. */
async function start(args: string[]) {
  const c = startEntry(ENTRY, [...args, '--dns', '127.0.0.1:0', '--health', '127.0.0.1:0']);
  const probes = /http:\/\/(\S+)\/health/.exec(
    await c.waitFor(/^edge-dns probes on http:\/\/\S+\/health and \/ready$/, { stream: 'stdout' }),
  )![1]!;
  const listening = await c.waitFor(/^edge-dns listening on /, { stream: 'stdout' });
  return { c, probes, ...parseDnsAddresses(listening)! };
}

const ready = (c: EntryProcess) =>
  c.waitFor(/^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/, { stream: 'stdout' });

test('a Corefile with a block per cluster: each zone its own cluster', GUARD, async (t) => {
  const east = await cluster('east');
  const west = await cluster('west');
  const corefile = join(dir, 'Corefile');
  const eastBlock = `${EAST}:1053 in-addr.arpa:1053 {\n  kubernetes {\n    kubeconfig ${east.kubeconfig}\n  }\n}\n`;
  writeFileSync(
    corefile,
    `${eastBlock}${WEST}:1053 {\n  kubernetes {\n    kubeconfig ${west.kubeconfig}\n  }\n}\n`,
  );
  const { c, udp, tcp } = await start(['--corefile', corefile]);
  t.after(async () => {
    await c.stop();
    await Promise.all([east.api.close(), west.api.close()]);
  });
  await ready(c);

  await t.test('the table over UDP and TCP', () => checkRows(udp, tcp));

  await t.test('a Service deleted in west: only west answers differently', async () => {
    west.api.remove('Service', 'shop', 'web');
    await pollUntil(
      () => overUdp(udp, `web.shop.svc.${WEST}`, 'A'),
      (o) => o === 'NXDOMAIN',
      { what: `web.shop.svc.${WEST} gone` },
    );
    assert.equal(await ask(udp, tcp, `web.shop.svc.${WEST}`, 'A'), 'NXDOMAIN');
    assert.equal(await ask(udp, tcp, '10.0.2.10.in-addr.arpa', 'PTR'), 'NXDOMAIN');
    for (const [name, type, want] of ROWS.filter(
      ([n]) => !/^(web\.shop\.svc\.west|10\.0\.2\.10)/.test(n),
    ))
      assert.equal(await ask(udp, tcp, name, type), want, `${name} ${type}: unchanged`);
  });

  await t.test("SIGHUP with west's block gone: west REFUSED, east answers", async () => {
    writeFileSync(corefile, eastBlock);
    const from = c.mark();
    process.kill(c.pid, 'SIGHUP');
    await c.waitFor(/^edge-dns reloaded .*live source restarted/, { stream: 'stdout', from });
    for (const [name, type, want] of [
      [`web.shop.svc.${EAST}`, 'A', 'NOERROR 10.1.0.10'],
      [`api.shop.svc.${WEST}`, 'A', 'REFUSED'],
      ['20.0.2.10.in-addr.arpa', 'PTR', 'NXDOMAIN'],
      ['1.0.0.10.in-addr.arpa', 'PTR', `NOERROR kubernetes.default.svc.${EAST}`],
    ] as const)
      assert.equal(await ask(udp, tcp, name, type), want, `${name} ${type}`);
  });
});

test(
  '--cluster-zone: one cluster not listing yet is SERVFAIL in its zone only',
  GUARD,
  async (t) => {
    const east = await cluster('east');
    const west = await cluster('west');
    // West's API fails every LIST until the test lets it answer.
    west.api.failNext(Number.POSITIVE_INFINITY, 500, { verb: 'list' });
    const { c, udp, tcp, probes } = await start([
      '--cluster-zone',
      `${EAST}=east:${east.kubeconfig}`,
      '--cluster-zone',
      `${WEST}=west:${west.kubeconfig}`,
      '--zones',
      'in-addr.arpa',
    ]);
    t.after(async () => {
      await c.stop();
      await Promise.all([east.api.close(), west.api.close()]);
    });

    await t.test(
      'east answers, west and the reverse names only west holds are SERVFAIL',
      async () => {
        await c.waitFor(/west: watch (Namespace|Service|EndpointSlice): .*retrying in \d+ ms/, {
          stream: 'stderr',
        });
        await pollUntil(
          () => overUdp(udp, `web.shop.svc.${EAST}`, 'A'),
          (o) => o === 'NOERROR 10.1.0.10',
          { what: 'east answering' },
        );
        for (const [name, type, want] of [
          [`web.shop.svc.${WEST}`, 'A', 'SERVFAIL'],
          [`absent.shop.svc.${WEST}`, 'A', 'SERVFAIL'],
          ['10.0.1.10.in-addr.arpa', 'PTR', `NOERROR web.shop.svc.${EAST}`],
          ['20.0.2.10.in-addr.arpa', 'PTR', 'SERVFAIL'],
          [`api.shop.svc.${EAST}`, 'A', 'NXDOMAIN'],
        ] as const)
          assert.equal(await ask(udp, tcp, name, type), want, `${name} ${type}`);
        const probe = await getProbe(`http://${probes}/ready`);
        assert.equal(probe.status, 503);
        assert.match(probe.body, /^not ready: west: first list of the Kubernetes API not done/);
      },
    );

    await t.test('west lists: ready, and the table', async () => {
      west.api.clearFailures();
      await ready(c);
      assert.equal((await getProbe(`http://${probes}/ready`)).status, 200);
      await checkRows(udp, tcp);
    });
  },
);

test(
  'a zone given two sources stops start-up (exit 2), naming the Corefile and line',
  GUARD,
  async () => {
    const corefile = join(dir, 'Corefile.twice');
    writeFileSync(
      corefile,
      `${EAST}:1053 {\n  kubernetes {\n    kubeconfig a.kubeconfig\n  }\n}\n` +
        `.:1053 {\n  kubernetes ${EAST} {\n    kubeconfig b.kubeconfig\n  }\n}\n`,
    );
    const c = startEntry(ENTRY, ['--corefile', corefile, '--dns', '127.0.0.1:0']);
    assert.equal(await c.exited, 2);
    assert.match(
      c.stderr(),
      new RegExp(
        `${corefile}:7 - Error during parsing: kubernetes: ${EAST} has two sources \\(also the kubernetes at ${corefile}:2\\)`,
      ),
    );
  },
);
