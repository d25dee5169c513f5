// The in-cluster server on live data, as a real process: functions/entry/container.ts with a
// kubeconfig pointing at the test Kubernetes API server, queried over real UDP and TCP. It answers
// SERVFAIL (never NXDOMAIN) until the first list completes, follows changes within a second, keeps
// its last known records while the API is away, and stops cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDnsAddresses, SAMPLE_CLUSTER } from './support/container.ts';
import {
  makeQuery,
  queryTcp,
  queryUdp,
  rcodeOf,
  type Addr,
  type Reply,
} from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';
import { applyList } from './support/list-api.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { serviceObject } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { getProbe } from './support/probe-client.ts';

const ENTRY = 'functions/entry/container.ts';
const dir = mkdtempSync(join(tmpdir(), 'edge-dns-live-'));
/** A guard against a hung child process; not an assertion on speed. */
const GUARD = { timeout: 60_000 };

/** The sample cluster's objects, applied to the API server as `kubectl apply` would. */
const seedSample = (api: KubeApiServer): void => applyList(api, SAMPLE_CLUSTER);

/** A query's outcome in one line: `NOERROR 10.96.0.1`, `NXDOMAIN`, `SERVFAIL`. */
function outcome(reply: Reply): string {
  const data = (reply.answers ?? [])
    .flatMap((a) => ('data' in a && typeof a.data === 'string' ? [a.data] : []))
    .sort();
  return [rcodeOf(reply), ...data].join(' ');
}
const overUdp = async (addr: Addr, name: string) =>
  outcome(await queryUdp(addr, makeQuery(name, 'A')));
const overTcp = async (addr: Addr, name: string) =>
  outcome((await queryTcp(addr, [makeQuery(name, 'A')]))[0] as Reply);

const KUBERNETES = 'kubernetes.default.svc.cluster.local';
const WEB = 'web.shop.svc.cluster.local';

test(
  'the container on live data: SERVFAIL before the first list, then follows the API server, and outlives it',
  GUARD,
  async (t) => {
    const api = await KubeApiServer.start();
    seedSample(api);
    // Every LIST fails until the test lets the API answer.
    api.failNext(Number.POSITIVE_INFINITY, 500, { verb: 'list' });
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    api.writeKubeconfig(kubeconfig);
    const container = startEntry(ENTRY, [
      '--kubeconfig',
      kubeconfig,
      '--dns',
      '127.0.0.1:0',
      '--health',
      '127.0.0.1:0',
    ]);
    t.after(async () => {
      await container.stop();
      await api.close();
    });
    const probesLine = await container.waitFor(
      /^edge-dns probes on http:\/\/\S+\/health and \/ready$/,
      { stream: 'stdout' },
    );
    const probes = /http:\/\/(\S+)\/health/.exec(probesLine)![1];
    const listening = await container.waitFor(
      /^edge-dns listening on .*: SERVFAIL until the first list of http:\/\/127\.0\.0\.1:\d+ completes$/,
      { stream: 'stdout' },
    );
    const { udp, tcp } = parseDnsAddresses(listening)!;

    await t.test(
      'before the first list: SERVFAIL over UDP and TCP (never NXDOMAIN), /health 200, /ready 503',
      async () => {
        // The container has tried, and failed, to list.
        await container.waitFor(/watch (Namespace|Service|EndpointSlice): .*retrying in \d+ ms/, {
          stream: 'stderr',
        });
        assert.equal(await overUdp(udp, KUBERNETES), 'SERVFAIL');
        assert.equal(await overUdp(udp, 'absent.default.svc.cluster.local'), 'SERVFAIL');
        assert.equal(await overTcp(tcp, KUBERNETES), 'SERVFAIL');
        assert.equal((await getProbe(`http://${probes}/health`)).status, 200);
        const ready = await getProbe(`http://${probes}/ready`);
        assert.equal(ready.status, 503);
        assert.match(ready.body, /^not ready: first list of the Kubernetes API not done \(.*500/);
      },
    );

    await t.test('after the first list: the sample answers, /ready 200', async () => {
      api.clearFailures();
      const ready = await container.waitFor(
        /^edge-dns ready: \d+ names on udp:\/\/\S+ and tcp:\/\/\S+/,
        { stream: 'stdout' },
      );
      assert.deepEqual(parseDnsAddresses(ready), { udp, tcp });
      assert.equal(await overUdp(udp, KUBERNETES), 'NOERROR 10.96.0.1');
      assert.equal(await overUdp(udp, WEB), 'NOERROR 10.96.12.34');
      assert.equal(await overTcp(tcp, WEB), 'NOERROR 10.96.12.34');
      assert.equal(await overUdp(udp, 'absent.default.svc.cluster.local'), 'NXDOMAIN');
      assert.equal((await getProbe(`http://${probes}/ready`)).status, 200);
    });

    await t.test(
      'a Service created after start answers over real UDP within one second; deleted, NXDOMAIN',
      async () => {
        const name = 'fresh.shop.svc.cluster.local';
        assert.equal(await overUdp(udp, name), 'NXDOMAIN');
        const created = performance.now();
        api.apply(
          'Service',
          serviceObject('shop', 'fresh', { clusterIP: '10.96.77.1', clusterIPs: ['10.96.77.1'] }),
        );
        await pollUntil(
          () => overUdp(udp, name),
          (o) => o === 'NOERROR 10.96.77.1',
          { what: `${name} answering`, everyMs: 2 },
        );
        const ms = performance.now() - created;
        t.diagnostic(`Service created -> answered over UDP: ${ms.toFixed(1)} ms`);
        assert.ok(
          ms < 1000,
          `answered ${ms.toFixed(1)} ms after the Service was created (the target: within one second)`,
        );

        api.remove('Service', 'shop', 'fresh');
        await pollUntil(
          () => overUdp(udp, name),
          (o) => o === 'NXDOMAIN',
          { what: `${name} gone` },
        );
      },
    );

    await t.test(
      'the API server away: the last known records answer over UDP and TCP; back: changes made meanwhile show up',
      async () => {
        const from = container.mark();
        await api.setUnreachable(true);
        // The container has noticed: its watch failed and is retrying.
        await container.waitFor(/watch (Namespace|Service|EndpointSlice): .*retrying in \d+ ms/, {
          stream: 'stderr',
          from,
        });
        api.apply(
          'Service',
          serviceObject('shop', 'late', { clusterIP: '10.96.77.2', clusterIPs: ['10.96.77.2'] }),
        );
        api.remove('Service', 'shop', 'checkout');
        for (const [name, want] of [
          [KUBERNETES, 'NOERROR 10.96.0.1'],
          [WEB, 'NOERROR 10.96.12.34'],
          ['checkout.shop.svc.cluster.local', 'NOERROR 10.96.45.67'],
          ['late.shop.svc.cluster.local', 'NXDOMAIN'],
        ] as const) {
          assert.equal(await overUdp(udp, name), want, `${name} over UDP while the API is away`);
          assert.equal(await overTcp(tcp, name), want, `${name} over TCP while the API is away`);
        }
        assert.equal(
          (await getProbe(`http://${probes}/ready`)).status,
          200,
          'still ready: the records were synced once',
        );

        await api.setUnreachable(false);
        await pollUntil(
          () => overUdp(udp, 'late.shop.svc.cluster.local'),
          (o) => o === 'NOERROR 10.96.77.2',
          { what: 'the Service added during the outage' },
        );
        await pollUntil(
          () => overUdp(udp, 'checkout.shop.svc.cluster.local'),
          (o) => o === 'NXDOMAIN',
          { what: 'the Service deleted during the outage' },
        );
        assert.equal(await overTcp(tcp, 'late.shop.svc.cluster.local'), 'NOERROR 10.96.77.2');
      },
    );

    await t.test('SIGTERM stops it with exit 0', async () => {
      assert.equal(await container.stop('SIGTERM'), 0);
    });
  },
);

const badKubeconfigs: { why: string; path: () => string; message: RegExp }[] = [
  {
    why: 'a kubeconfig path that does not exist',
    path: () => join(dir, 'absent-kubeconfig.yaml'),
    message: /^edge-dns: kubeconfig \S+absent-kubeconfig\.yaml: cannot read it \(ENOENT\)$/m,
  },
  {
    why: 'a kubeconfig that is not YAML',
    path: () => {
      const path = join(dir, 'broken-kubeconfig.yaml');
      writeFileSync(path, 'clusters: [\n');
      return path;
    },
    message: /^edge-dns: kubeconfig \S+broken-kubeconfig\.yaml: not a valid kubeconfig: /m,
  },
];

for (const c of badKubeconfigs) {
  test(`start-up stops with exit 2 on ${c.why}, naming the file`, GUARD, async () => {
    const proc = startEntry(ENTRY, ['--kubeconfig', c.path(), '--dns', '127.0.0.1:0']);
    assert.equal(await proc.exited, 2);
    assert.match(proc.stderr(), c.message);
    assert.doesNotMatch(proc.stderr(), /\n\s+at /, 'a message, not a stack trace');
    assert.equal(proc.stdout(), '');
  });
}
