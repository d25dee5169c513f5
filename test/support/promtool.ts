// promtool (the Prometheus package's rule checker and rule unit-test runner) over the rules of
// infra/kubernetes/monitoring/prometheus-rule.yaml: its groups written out as a rules file, unit
// tests written from tables (series in promtool's expanding notation, the alerts expected at each
// evaluation time), and promtool's verdict with its output.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './container.ts';

export const PROMETHEUS_RULE = 'infra/kubernetes/monitoring/prometheus-rule.yaml';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

/** The PrometheusRule's groups, as a Prometheus rules file holds them. */
export function ruleGroups(): Group[] {
  const rule = parse(readFileSync(join(REPO_ROOT, PROMETHEUS_RULE), 'utf8')) as {
    spec: { groups: Group[] };
  };
  return rule.spec.groups;
}

/** Every alert name, once. */
export function alertNames(groups = ruleGroups()): string[] {
  return [...new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))))];
}

/**
 * Writes `groups` to DIR/NAME as a rules file. `withoutAnnotations` leaves annotations out: promtool
 * compares an alert's annotations exactly, and the templated ones are checked by `check rules`.
 */
export function writeRules(dir: string, name: string, groups: Group[], withoutAnnotations = false) {
  const out = withoutAnnotations
    ? groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...r }) => r) }))
    : groups;
  const path = join(dir, name);
  writeFileSync(path, stringify({ groups: out }));
  return path;
}

/** An alert that must be firing at an evaluation time: its name and every label it carries. */
export interface Firing {
  alertname: string;
  labels: Record<string, string>;
}

export interface RuleTest {
  name: string;
  /** Series selector -> promtool values (`0+600x180`: start 0, +600 per interval, 180 times). */
  series: Record<string, string>;
  /** Evaluation time (`40m`) -> the alerts firing then; every other alert must be silent. */
  expect: Record<string, Firing[]>;
}

/** Writes promtool's unit-test file for `tests` over `rulesFile`, every alert checked at every time. */
export function writeRuleTests(
  dir: string,
  rulesFile: string,
  tests: RuleTest[],
  alerts: string[],
) {
  const doc = {
    rule_files: [rulesFile],
    evaluation_interval: '1m',
    tests: tests.map((t) => ({
      name: t.name,
      interval: '1m',
      input_series: Object.entries(t.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: Object.entries(t.expect).flatMap(([evalTime, firing]) =>
        alerts.map((alertname) => ({
          eval_time: evalTime,
          alertname,
          exp_alerts: firing
            .filter((f) => f.alertname === alertname)
            .map((f) => ({ exp_labels: f.labels })),
        })),
      ),
    })),
  };
  const path = join(dir, 'rules.test.yaml');
  writeFileSync(path, stringify(doc));
  return path;
}

/** Runs promtool; resolves with its exit code and everything it printed (never rejects on exit). */
export function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
  });
}
