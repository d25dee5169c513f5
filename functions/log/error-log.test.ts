import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorLog, type ConsolidateRule } from './error-log.ts';

/** Timers run by hand: `fire()` runs every pending one (the interval ended). */
function manualTimers() {
  const pending = new Set<() => void>();
  return {
    setTimeout: (run: () => void) => {
      pending.add(run);
      return { unref: () => undefined, run };
    },
    clearTimeout: (t: unknown) => pending.delete((t as { run: () => void }).run),
    fire() {
      const runs = [...pending];
      pending.clear();
      runs.forEach((r) => r());
    },
  };
}

function errorLog(consolidate: ConsolidateRule[]) {
  const lines: string[] = [];
  const timers = manualTimers();
  const log = new ErrorLog({ consolidate, out: { write: (l) => lines.push(l) }, ...timers });
  return { log, lines, timers };
}

const rule = (pattern: string, o: Partial<ConsolidateRule> = {}): ConsolidateRule => ({
  intervalMs: 300_000,
  pattern: new RegExp(pattern),
  level: 'error',
  showFirst: false,
  ...o,
});

test('without rules every failure is a line, in CoreDNS errors form', () => {
  const { log, lines } = errorLog([]);
  log.query(2, { name: 'example.org', type: 'A' }, 'udp 127.0.0.1:53: no reply within 2000 ms');
  log.query(2, { name: '', type: 'NS' }, 'store not synced yet');
  log.report('forward', 'udp 127.0.0.1:53 is down after 2 failures');
  assert.deepEqual(lines, [
    '[ERROR] plugin/errors: 2 example.org. A: udp 127.0.0.1:53: no reply within 2000 ms',
    '[ERROR] plugin/errors: 2 . NS: store not synced yet',
    '[ERROR] plugin/forward: udp 127.0.0.1:53 is down after 2 failures',
  ]);
});

test('consolidate: matching failures are counted, one line per interval that saw some', () => {
  const { log, lines, timers } = errorLog([
    rule('^udp .* no reply'),
    rule('.*', { level: 'warning', intervalMs: 30_000 }),
  ]);
  for (let i = 0; i < 3; i++)
    log.query(2, { name: `n${i}.example`, type: 'A' }, 'udp 127.0.0.1:53: no reply within 2000 ms');
  log.report('kubernetes', 'watch services: connection refused');
  assert.deepEqual(lines, [], 'nothing printed during the interval');
  timers.fire();
  assert.deepEqual(lines, [
    "[ERROR] plugin/errors: 3 errors like '^udp .* no reply' occurred in last 5m0s",
    "[WARNING] plugin/errors: 1 errors like '.*' occurred in last 30s",
  ]);
  timers.fire();
  assert.equal(lines.length, 2, 'an interval with none prints nothing');
  log.query(2, { name: 'x.example', type: 'A' }, 'udp 127.0.0.1:53: no reply within 2000 ms');
  timers.fire();
  assert.equal(
    lines.at(-1),
    "[ERROR] plugin/errors: 1 errors like '^udp .* no reply' occurred in last 5m0s",
  );
});

test('only the first matching rule counts; unmatched failures print at once', () => {
  const { log, lines, timers } = errorLog([rule('timeout'), rule('time')]);
  log.query(2, { name: 'a.example', type: 'A' }, 'timeout');
  log.query(5, { name: 'b.example', type: 'A' }, 'concurrent queries exceeded maximum 1000');
  timers.fire();
  assert.deepEqual(lines, [
    '[ERROR] plugin/errors: 5 b.example. A: concurrent queries exceeded maximum 1000',
    "[ERROR] plugin/errors: 1 errors like 'timeout' occurred in last 5m0s",
  ]);
});

test('showFirst prints the first of each interval; close prints the counts held', () => {
  const { log, lines } = errorLog([rule('down', { showFirst: true })]);
  log.report('forward', 'a is down');
  log.report('forward', 'b is down');
  log.close();
  assert.deepEqual(lines, [
    '[ERROR] plugin/forward: a is down',
    "[ERROR] plugin/errors: 2 errors like 'down' occurred in last 5m0s",
  ]);
});
