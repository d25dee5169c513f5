// The monitoring component's rules (infra/kubernetes/monitoring/prometheus-rule.yaml) through
// promtool: `check rules` on the file as shipped, then `test rules` with series written by hand
// for a healthy server and for each induced fault (a dead upstream, slow answers, a cold cache,
// memory, a refused reload, no target). Every alert is checked at every evaluation time: each
// fault raises exactly its alerts, and the healthy series raise none.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { REPO_ROOT } from './support/container.ts';
import { requireTool } from './support/tools.ts';
import {
  alertNames,
  promtool,
  ruleGroups,
  writeRuleTests,
  writeRules,
  type Firing,
  type RuleTest,
} from './support/promtool.ts';

const MINUTES = 180;
const job = 'job="edge-dns",instance="edge-dns-a"';
const server = `${job},server="dns://:1053"`;
const zone = `${server},zone=".",view=""`;

/** CoreDNS's request duration buckets: 0.00025 * 2^n seconds, n = 0..15, then +Inf. */
const BOUNDS = [...Array.from({ length: 16 }, (_, n) => 0.00025 * 2 ** n), Infinity];

/** Bucket series of `perMinute` requests a minute, `shares` of them taking each duration. */
function durations(perMinute: number, shares: [seconds: number, share: number][]) {
  const out: Record<string, string> = {};
  for (const le of BOUNDS) {
    const within = shares.filter(([s]) => s <= le).reduce((sum, [, share]) => sum + share, 0);
    const name = le === Infinity ? '+Inf' : String(le);
    out[`coredns_dns_request_duration_seconds_bucket{${zone},type="A",le="${name}"}`] =
      `0+${perMinute * within}x${MINUTES}`;
  }
  return out;
}

const counter = (perMinute: number) => `0+${perMinute}x${MINUTES}`;
const gauge = (value: number) => `${value}x${MINUTES}`;
const fast: [number, number][] = [
  [0.0002, 0.6],
  [0.0008, 0.35],
  [0.03, 0.05],
];

/** 11 queries a second: answers in under a millisecond, 83% from the cache, 0.05% SERVFAIL. */
const healthy: Record<string, string> = {
  [`up{${job}}`]: gauge(1),
  [`coredns_dns_responses_total{${zone},rcode="NOERROR",plugin=""}`]: counter(600),
  [`coredns_dns_responses_total{${zone},rcode="NXDOMAIN",plugin=""}`]: counter(60),
  [`coredns_dns_responses_total{${zone},rcode="SERVFAIL",plugin=""}`]: counter(0.3),
  ...durations(660, fast),
  [`coredns_cache_hits_total{${server},type="success",zones=".",view=""}`]: counter(500),
  [`coredns_cache_hits_total{${server},type="denial",zones=".",view=""}`]: counter(50),
  [`coredns_cache_misses_total{${server},zones=".",view=""}`]: counter(110),
  [`coredns_forward_healthcheck_failures_total{${job},to="127.0.0.53:53"}`]: counter(0),
  [`coredns_reload_failed_total{${job}}`]: counter(0),
  [`process_resident_memory_bytes{${job}}`]: gauge(150 * 2 ** 20),
};

const without = (series: Record<string, string>, pattern: RegExp) =>
  Object.fromEntries(Object.entries(series).filter(([k]) => !pattern.test(k)));

const labels = {
  job: { job: 'edge-dns' },
  instance: { job: 'edge-dns', instance: 'edge-dns-a' },
  server: { job: 'edge-dns', server: 'dns://:1053' },
};
const firing = (alertname: string, severity: string, more: Record<string, string>): Firing => ({
  alertname,
  labels: { severity, ...more },
});
const burn = (long: string, short: string) =>
  firing('EdgeDNSErrorBudgetBurn', 'critical', {
    ...labels.job,
    long_window: long,
    short_window: short,
  });

const tests: RuleTest[] = [
  {
    name: 'healthy: no alert',
    series: healthy,
    expect: { '20m': [], '40m': [], '170m': [] },
  },
  {
    name: 'a dead upstream: 15% SERVFAIL, failed health checks',
    series: {
      ...healthy,
      [`coredns_dns_responses_total{${zone},rcode="SERVFAIL",plugin=""}`]: counter(120),
      [`coredns_forward_healthcheck_failures_total{${job},to="127.0.0.53:53"}`]: counter(2),
    },
    expect: {
      '40m': [
        firing('CoreDNSErrorsHigh', 'critical', labels.server),
        firing('CoreDNSErrorsHigh', 'warning', labels.server),
        burn('1h', '5m'),
        burn('6h', '30m'),
        firing('CoreDNSForwardHealthcheckFailureCount', 'warning', {
          ...labels.job,
          to: '127.0.0.53:53',
        }),
      ],
    },
  },
  {
    name: 'slow answers: 2% take 1.5 s',
    series: { ...healthy, ...durations(660, [...fast.slice(0, 2), [1.5, 0.05]]) },
    expect: {
      '40m': [firing('CoreDNSLatencyHigh', 'critical', { ...labels.server, zone: '.' })],
    },
  },
  {
    name: 'a cold cache: misses only, no hits series at all',
    series: {
      ...without(healthy, /coredns_cache_hits_total/),
      [`coredns_cache_misses_total{${server},zones=".",view=""}`]: counter(660),
    },
    expect: {
      '10m': [],
      '40m': [firing('CoreDNSCacheEfficiencyLow', 'warning', labels.server)],
    },
  },
  {
    name: 'a cold cache: 9% hits',
    series: {
      ...healthy,
      [`coredns_cache_hits_total{${server},type="success",zones=".",view=""}`]: counter(60),
      [`coredns_cache_hits_total{${server},type="denial",zones=".",view=""}`]: counter(0),
      [`coredns_cache_misses_total{${server},zones=".",view=""}`]: counter(600),
    },
    expect: { '40m': [firing('CoreDNSCacheEfficiencyLow', 'warning', labels.server)] },
  },
  {
    name: 'an idle cache: no alert without traffic',
    series: {
      ...without(healthy, /coredns_cache_hits_total/),
      [`coredns_cache_misses_total{${server},zones=".",view=""}`]: counter(1),
    },
    expect: { '40m': [] },
  },
  {
    name: 'memory: 450 MiB of a 512 MiB limit',
    series: { ...healthy, [`process_resident_memory_bytes{${job}}`]: gauge(450 * 2 ** 20) },
    expect: {
      '10m': [],
      '40m': [firing('CoreDNSMemoryHigh', 'warning', labels.instance)],
    },
  },
  {
    name: 'a refused reload: alerts for 10 minutes',
    series: { ...healthy, [`coredns_reload_failed_total{${job}}`]: `0x10 1x${MINUTES - 10}` },
    expect: {
      '5m': [],
      '15m': [firing('CoreDNSReloadFailed', 'warning', labels.instance)],
      '40m': [],
    },
  },
  {
    name: 'down: the target is not up',
    series: { ...healthy, [`up{${job}}`]: gauge(0) },
    expect: { '10m': [], '20m': [firing('CoreDNSDown', 'critical', {})] },
  },
  {
    name: 'down: no target at all',
    series: without(healthy, /^up\{/),
    expect: { '20m': [firing('CoreDNSDown', 'critical', {})] },
  },
];

let dir = '';
let skip: string | undefined;
before(() => {
  skip = requireTool('promtool');
  dir = mkdtempSync(join(tmpdir(), 'edge-dns-rules-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('promtool check rules: the PrometheusRule as shipped, annotations included', async (t) => {
  if (skip) return t.skip(skip);
  const file = writeRules(dir, 'shipped.yaml', ruleGroups());
  const { code, output } = await promtool(['check', 'rules', file]);
  assert.equal(code, 0, output);
  assert.match(output, /SUCCESS: 15 rules found/);
  // The checker is not a rubber stamp: a broken expression fails it.
  const broken = ruleGroups();
  broken[2]!.rules[1]!.expr = 'sum by (job (rate(coredns_dns_responses_total[5m]))';
  const bad = await promtool(['check', 'rules', writeRules(dir, 'broken.yaml', broken)]);
  assert.notEqual(bad.code, 0, bad.output);
});

test('promtool test rules: each fault raises its alerts, healthy series none', async (t) => {
  if (skip) return t.skip(skip);
  const rules = writeRules(dir, 'rules.yaml', ruleGroups(), true);
  const alerts = alertNames();
  assert.deepEqual(alerts.sort(), [
    'CoreDNSCacheEfficiencyLow',
    'CoreDNSDown',
    'CoreDNSErrorsHigh',
    'CoreDNSForwardHealthcheckFailureCount',
    'CoreDNSLatencyHigh',
    'CoreDNSMemoryHigh',
    'CoreDNSReloadFailed',
    'EdgeDNSErrorBudgetBurn',
  ]);
  const { code, output } = await promtool([
    'test',
    'rules',
    writeRuleTests(dir, rules, tests, alerts),
  ]);
  assert.equal(code, 0, output);
  // And a wrong expectation fails: the healthy series do not raise CoreDNSErrorsHigh.
  const wrong: RuleTest = {
    ...tests[0]!,
    expect: { '40m': [firing('CoreDNSErrorsHigh', 'critical', labels.server)] },
  };
  const failed = await promtool(['test', 'rules', writeRuleTests(dir, rules, [wrong], alerts)]);
  assert.notEqual(failed.code, 0, failed.output);
  assert.match(failed.output, /CoreDNSErrorsHigh/);
});

test("the dashboard's queries are valid PromQL over the same series as the rules", async (t) => {
  if (skip) return t.skip(skip);
  const dashboard = JSON.parse(
    readFileSync(join(REPO_ROOT, 'infra/kubernetes/monitoring/dashboard.json'), 'utf8'),
  ) as { panels: { title: string; targets: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((target) => target.expr));
  assert.ok(exprs.length >= 12);
  // Grafana's variables as it fills them in.
  const filled = exprs.map((e) =>
    e.replaceAll('$job', 'edge-dns').replaceAll('$__rate_interval', '5m'),
  );
  const recorded = new Set(ruleGroups().flatMap((g) => g.rules.flatMap((r) => r.record ?? [])));
  const series = new Set([...Object.keys(healthy).map((s) => s.replace(/\{.*/, '')), ...recorded]);
  series.add('coredns_dns_requests_total').add('coredns_cache_entries');
  series.add('coredns_proxy_request_duration_seconds_bucket');
  for (const e of filled)
    for (const name of e.match(/\b(?:coredns|process|edge_dns)[a-z_:0-9]*/g) ?? [])
      assert.ok(series.has(name), `${name} in ${e}`);
  const groups = [
    {
      name: 'dashboard',
      rules: filled.map((expr, i) => ({ record: `dashboard:query_${i}:value`, expr })),
    },
  ];
  const { code, output } = await promtool([
    'check',
    'rules',
    writeRules(dir, 'dashboard.yaml', groups),
  ]);
  assert.equal(code, 0, output);
});

test("CoreDNSMemoryHigh fires at 80% of the Deployment's memory limit", () => {
  const deployment = parse(
    readFileSync(join(REPO_ROOT, 'infra/kubernetes/dns/deployment.yaml'), 'utf8'),
  ) as IDeployment;
  const limit = deployment.spec!.template.spec!.containers[0]!.resources!.limits!.memory;
  const mib = Number(/^(\d+)Mi$/.exec(String(limit))?.[1]);
  const rule = ruleGroups()
    .flatMap((g) => g.rules)
    .find((r) => r.alert === 'CoreDNSMemoryHigh')!;
  assert.match(rule.expr, new RegExp(`> 0\\.8 \\* ${mib} \\* 1024 \\* 1024$`));
});
