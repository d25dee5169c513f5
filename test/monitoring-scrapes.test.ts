// The alert rules over series from real runs: the container with --metrics serves the sample
// cluster and forwards `.`, a fault is induced (an upstream that is dead, or a cache kept cold
// with names never asked before), /metrics is scraped between rounds of queries, and the scrapes
// become promtool's input series (test/support/scrape-series.ts) with the labels Prometheus
// adds. promtool then says which alerts fire: each fault's own, with the label sets the container
// really exports, and none on a healthy run. monitoring-rules.test.ts has the hand-written series.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { SAMPLE_CLUSTER } from './support/container.ts';
import { startEntry, type EntryProcess } from './support/entry-process.ts';
import { makeQuery, queryUdp, rcodeOf, type Addr } from './support/dns-client.ts';
import { closedPort } from './support/closed-port.ts';
import { pollUntil } from './support/poll.ts';
import {
  a,
  answer,
  startScriptedUpstream,
  type ScriptedUpstream,
} from './support/scripted-upstream.ts';
import { requireTool } from './support/tools.ts';
import {
  alertNames,
  promtool,
  ruleGroups,
  writeRuleTests,
  writeRules,
} from './support/promtool.ts';
import { inputSeries, parseScrape, type Scrape } from './support/scrape-series.ts';
import type { Firing, RuleTest } from './support/promtool.ts';

const EXTRA = 'job="edge-dns",instance="edge-dns-a"';
const ROUNDS = 4;

let skip: string | undefined;
let dir = '';
const stops: (() => Promise<unknown>)[] = [];
before(() => {
  skip = requireTool('promtool');
  dir = mkdtempSync(join(tmpdir(), 'edge-dns-scrapes-'));
});
after(async () => {
  await Promise.allSettled(stops.map((s) => s()));
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  dns: Addr;
  metrics: string;
  process: EntryProcess;
}

/** The container on the sample cluster, forwarding `.` to `upstream`, with metrics on. */
async function container(upstream: string): Promise<Run> {
  const p = startEntry('functions/entry/container.ts', [
    '--snapshot',
    SAMPLE_CLUSTER,
    '--dns',
    '127.0.0.1:0',
    '--metrics',
    '127.0.0.1:0',
    '--forward',
    `.=${upstream}`,
    '--forward-timeout',
    '200',
    '--forward-max-fails',
    '1',
    '--forward-health-check',
    '100',
  ]);
  stops.push(() => p.stop());
  const ready = await p.waitFor(/edge-dns ready/, { timeoutMs: 30_000 });
  const metricsLine = await p.waitFor(/http:\/\/\S+\/metrics/);
  const udp = /udp:\/\/(\S+):(\d+)/.exec(ready)!;
  return {
    dns: { host: udp[1]!, port: Number(udp[2]) },
    metrics: /(http:\/\/\S+\/metrics)/.exec(metricsLine)![1]!,
    process: p,
  };
}

function scrape(url: string): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.once('end', () => resolve(parseScrape(body)));
    }).once('error', reject);
  });
}

/** A scrape before the first round and one after each; `round(i)` sends that round's queries. */
async function scrapes(run: Run, round: (i: number) => Promise<void>): Promise<Scrape[]> {
  const out = [await scrape(run.metrics)];
  for (let i = 0; i < ROUNDS; i++) {
    await round(i);
    out.push(await scrape(run.metrics));
  }
  return out;
}

async function ask(run: Run, name: string, type: 'A' | 'AAAA', rcode: string) {
  const reply = await queryUdp(run.dns, makeQuery(name, type), 5000);
  assert.equal(rcodeOf(reply), rcode, `${name} ${type}`);
}

/** The value of `label` on the first series of `metric` in a scrape. */
function label(s: Scrape, metric: string, name: string): string {
  const key = [...s.samples.keys()].find((k) => k.startsWith(`${metric}{`));
  assert.ok(key, `${metric} is exported`);
  return new RegExp(`${name}="([^"]*)"`).exec(key)![1]!;
}

/** promtool's verdict on `expect` (alert -> firing at 40m) over the scrapes, `checked` alerts only. */
async function verdict(name: string, s: Scrape[], expect: Firing[], checked = alertNames()) {
  const series = { ...inputSeries(s, EXTRA, 60), [`up{${EXTRA}}`]: '1x60' };
  const test: RuleTest = { name, series, expect: { '40m': expect } };
  const rules = writeRules(dir, 'rules.yaml', ruleGroups(), true);
  const { code, output } = await promtool([
    'test',
    'rules',
    writeRuleTests(dir, rules, [test], checked),
  ]);
  assert.equal(code, 0, `${output}\nseries:\n${JSON.stringify(series, null, 1)}`);
}

const server = (s: Scrape) => label(s, 'coredns_dns_responses_total', 'server');

test('healthy: cluster names and a repeated forwarded name raise no alert', async (t) => {
  if (skip) return t.skip(skip);
  const up: ScriptedUpstream = await startScriptedUpstream();
  stops.push(() => up.close());
  up.script('example.com', 'A', answer([a('example.com', '192.0.2.1')]));
  const run = await container(up.address);
  const s = await scrapes(run, async () => {
    for (let i = 0; i < 20; i++)
      await ask(run, 'kubernetes.default.svc.cluster.local', 'A', 'NOERROR');
    for (let i = 0; i < 5; i++) await ask(run, 'example.com', 'A', 'NOERROR');
  });
  await verdict('healthy, from real scrapes', s, []);
});

test('a dead upstream: SERVFAIL ratio, burn rate and health check alerts, as exported', async (t) => {
  if (skip) return t.skip(skip);
  const run = await container(`127.0.0.1:${await closedPort()}`);
  /** Health-check failures so far (the pool probes a down upstream every 500 ms). */
  const failures = (sc: Scrape) =>
    [...sc.samples].find(([k]) =>
      k.startsWith('coredns_forward_healthcheck_failures_total{'),
    )?.[1] ?? 0;
  let seen = 0;
  const s = await scrapes(run, async (round) => {
    for (let i = 0; i < 10; i++)
      await ask(run, 'kubernetes.default.svc.cluster.local', 'A', 'NOERROR');
    for (let i = 0; i < 5; i++) await ask(run, `name-${round}-${i}.example.`, 'A', 'SERVFAIL');
    // Each round spans a probe that failed, however fast the queries went: the alert's rate
    // sees the counter move in every scrape interval.
    const next = await pollUntil(
      () => scrape(run.metrics),
      (sc) => failures(sc) > seen,
      {
        deadlineMs: 10_000,
        what: 'one more failed health check',
      },
    );
    seen = failures(next);
  });
  const job = { job: 'edge-dns' };
  const to = label(s.at(-1)!, 'coredns_forward_healthcheck_failures_total', 'to');
  await verdict(
    'a dead upstream, from real scrapes',
    s,
    [
      {
        alertname: 'CoreDNSErrorsHigh',
        labels: { ...job, server: server(s[1]!), severity: 'critical' },
      },
      {
        alertname: 'CoreDNSErrorsHigh',
        labels: { ...job, server: server(s[1]!), severity: 'warning' },
      },
      {
        alertname: 'EdgeDNSErrorBudgetBurn',
        labels: { ...job, severity: 'critical', long_window: '1h', short_window: '5m' },
      },
      {
        alertname: 'EdgeDNSErrorBudgetBurn',
        labels: { ...job, severity: 'critical', long_window: '6h', short_window: '30m' },
      },
      {
        alertname: 'CoreDNSForwardHealthcheckFailureCount',
        labels: { ...job, to, severity: 'warning' },
      },
    ],
    [
      'CoreDNSErrorsHigh',
      'EdgeDNSErrorBudgetBurn',
      'CoreDNSForwardHealthcheckFailureCount',
      'CoreDNSDown',
    ],
  );
});

test('a cold cache: names never asked before raise CoreDNSCacheEfficiencyLow, as exported', async (t) => {
  if (skip) return t.skip(skip);
  const up: ScriptedUpstream = await startScriptedUpstream();
  stops.push(() => up.close());
  const names = Array.from({ length: ROUNDS * 12 }, (_, i) => `cold-${i}.example`);
  for (const n of names) up.script(n, 'A', answer([a(n, '192.0.2.2')]));
  const run = await container(up.address);
  const s = await scrapes(run, async (round) => {
    for (const n of names.slice(round * 12, round * 12 + 12)) await ask(run, n, 'A', 'NOERROR');
  });
  const misses = [...s.at(-1)!.samples.keys()].find((k) =>
    k.startsWith('coredns_cache_misses_total{'),
  )!;
  const cacheServer = new RegExp('server="([^"]*)"').exec(misses)![1]!;
  await verdict(
    'a cold cache, from real scrapes',
    s,
    [
      {
        alertname: 'CoreDNSCacheEfficiencyLow',
        labels: { job: 'edge-dns', server: cacheServer, severity: 'warning' },
      },
    ],
    ['CoreDNSCacheEfficiencyLow', 'CoreDNSErrorsHigh', 'EdgeDNSErrorBudgetBurn'],
  );
});
