// Live reload as CoreDNS's `reload` plugin does it, on the container as a process under dnsperf
// at 10,000 q/s: a TTL change and an added zone are answered from the first query after the
// reload (no answer of the old configuration is served after the swap; the time from SIGHUP is
// printed), a broken file is refused with its file and field named while the running
// configuration keeps answering, and no query is lost, as in a control run without reloads. The
// file-change poll picks up a change without a signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SAMPLE_CLUSTER, parseReadyLine } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf, type Addr, type Reply } from './support/dns-client.ts';
import { dnsperfLoad, type DnsperfReport } from './support/dnsperf-load.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { pollUntil } from './support/poll.ts';
import { getProbe } from './support/probe-client.ts';
import { requireTool } from './support/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-dns-reload-'));
const snapshot = join(REPO_ROOT, SAMPLE_CLUSTER);
const QUERIES = [
  'kubernetes.default.svc.cluster.local A',
  'web.shop.svc.cluster.local A',
  'db.data.svc.cluster.local A',
  'absent.default.svc.cluster.local A',
  '_http._tcp.web.shop.svc.cluster.local SRV',
];

/** The config file as the test writes it: YAML, one key per line. */
function configText(o: { ttl: number; zones?: string[]; reload?: string; broken?: boolean }) {
  const zones = o.zones ?? ['cluster.local', 'in-addr.arpa', 'ip6.arpa'];
  return [
    `snapshots: [${JSON.stringify(snapshot)}]`,
    'kubernetes:',
    `  zones: [${zones.join(', ')}]`,
    `  ttl: ${o.broken ? 'thirty' : o.ttl}`,
    ...(o.reload ? ['reload:', `  interval: ${o.reload}`] : []),
    '',
  ].join('\n');
}

const ttlOf = (r: Reply) => (r.answers?.[0] as { ttl?: number } | undefined)?.ttl;

/** Polls `name` over UDP until `done` holds (the deadline is a guard, not an assertion on speed). */
function answered(dns: Addr, name: string, done: (r: Reply) => boolean, deadlineMs: number) {
  return pollUntil(() => queryUdp(dns, makeQuery(name, 'A'), 500), done, {
    deadlineMs,
    what: `${name} as expected`,
  });
}

async function reloadWith(server: EntryProcess, file: string, text: string): Promise<number> {
  writeFileSync(file, text);
  const at = Date.now();
  process.kill(server.pid, 'SIGHUP');
  return at;
}

test('reloads under 10,000 q/s: a TTL change, a zone added, a broken file; no query lost', async (t) => {
  const skip = requireTool('dnsperf');
  if (skip) return t.skip(skip);
  const file = join(dir, 'edge.yaml');
  writeFileSync(file, configText({ ttl: 5, reload: '0' }));
  const server = startEntry('functions/entry/container.ts', [
    ...['--config', file, '--dns', '127.0.0.1:0', '--metrics', '127.0.0.1:0'],
  ]);
  try {
    const dns = parseReadyLine(
      await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 }),
    )!.udp;
    const metrics = /(http:\S+\/metrics)$/.exec(await server.waitFor(/^edge-dns metrics on /))![1]!;
    const reloadFailures = async () =>
      Number(/^coredns_reload_failed_total (\d+)$/m.exec((await getProbe(metrics)).body)?.[1]);
    assert.equal(await reloadFailures(), 0);
    const load = (name: string) =>
      dnsperfLoad({
        server: dns,
        queries: QUERIES,
        file: join(dir, `${name}.txt`),
        qps: 10_000,
        seconds: 4,
      });

    // The control: the same load, no reload.
    const control = await load('control').done;

    const run = load('reloads');
    await run.started;
    const name = 'kubernetes.default.svc.cluster.local';
    assert.equal(ttlOf(await queryUdp(dns, makeQuery(name, 'A'))), 5);

    // 1. A TTL change: the records are rebuilt with it.
    let from = server.mark();
    let at = await reloadWith(server, file, configText({ ttl: 30, reload: '0' }));
    await answered(dns, name, (r) => ttlOf(r) === 30, 15_000);
    const ttlMs = Date.now() - at;
    await server.waitFor(/^edge-dns reloaded .*edge\.yaml \(SIGHUP\): records rebuilt/, { from });

    // 2. A zone added: its names answer; before, they were outside every zone (REFUSED).
    const corp = 'kubernetes.default.svc.corp.internal';
    assert.equal(rcodeOf(await queryUdp(dns, makeQuery(corp, 'A'))), 'REFUSED');
    from = server.mark();
    const zones = ['cluster.local', 'corp.internal', 'in-addr.arpa', 'ip6.arpa'];
    at = await reloadWith(server, file, configText({ ttl: 30, zones, reload: '0' }));
    await server.waitFor(/^edge-dns reloaded /, { from });
    // The swap is one step: the first query after the reload line gets the new zone.
    const corpReply = await queryUdp(dns, makeQuery(corp, 'A'));
    const zoneMs = Date.now() - at;
    assert.equal(rcodeOf(corpReply), 'NOERROR');
    assert.equal((corpReply.answers?.[0] as { data?: string }).data, '10.96.0.1');

    // 3. A broken file: refused, naming the file, the line and the field; the running
    //    configuration (TTL 30, the corp zone) keeps answering.
    from = server.mark();
    await reloadWith(server, file, configText({ ttl: 30, zones, reload: '0', broken: true }));
    await server.waitFor(/reload of .*edge\.yaml failed, keeping the running configuration/, {
      from,
    });
    const why = await server.waitFor(/edge\.yaml:\d+:\d+: kubernetes\.ttl: /, { from });
    assert.match(why, /edge\.yaml:4:\d+: kubernetes\.ttl: .*number/);
    assert.equal(ttlOf(await queryUdp(dns, makeQuery(name, 'A'))), 30);
    assert.equal(rcodeOf(await queryUdp(dns, makeQuery(corp, 'A'))), 'NOERROR');
    assert.equal(await reloadFailures(), 1, 'coredns_reload_failed_total');

    const reloads = await run.done;
    const compare = (r: DnsperfReport) =>
      `sent ${r.sent}, completed ${r.completed}, lost ${r.lost}`;
    t.diagnostic(`control: ${compare(control)}; with reloads: ${compare(reloads)}`);
    t.diagnostic(`new TTL answered ${ttlMs} ms after SIGHUP; the new zone ${zoneMs} ms after`);
    assert.equal(control.lost, 0, `control run lost queries:\n${control.text}`);
    assert.equal(reloads.lost, 0, `queries lost across reloads:\n${reloads.text}`);
    assert.equal(reloads.completed, reloads.sent);
    assert.ok(reloads.sent >= 0.9 * control.sent, `${compare(reloads)} vs ${compare(control)}`);
    // Nothing but what the names answer: no SERVFAIL or REFUSED from a half-applied config.
    assert.deepEqual(Object.keys(reloads.rcodes).sort(), Object.keys(control.rcodes).sort());
  } finally {
    await server.stop();
  }
});

test('the file-change poll applies a changed file without a signal; --reload overrides the file', async () => {
  const file = join(dir, 'poll.yaml');
  writeFileSync(file, configText({ ttl: 5, reload: '0' }));
  const server = startEntry('functions/entry/container.ts', [
    ...['--config', file, '--dns', '127.0.0.1:0', '--reload', '200ms'],
  ]);
  try {
    const dns = parseReadyLine(
      await server.waitFor(/^edge-dns ready: /, { timeoutMs: 60_000 }),
    )!.udp;
    const from = server.mark();
    writeFileSync(file, configText({ ttl: 7, reload: '0' }));
    await server.waitFor(/^edge-dns reloaded .*poll\.yaml \(file changed\): records rebuilt/, {
      from,
    });
    const name = 'kubernetes.default.svc.cluster.local';
    assert.equal(ttlOf(await queryUdp(dns, makeQuery(name, 'A'))), 7);
    // The flag still wins over the file's `interval: 0`: a second change is picked up too.
    writeFileSync(file, configText({ ttl: 9, reload: '0' }));
    await answered(dns, name, (r) => ttlOf(r) === 9, 10_000);
  } finally {
    await server.stop();
  }
});
