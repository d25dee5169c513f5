// The shutdown state machine (CoreDNS `health { lameduck }`) on a clock the test moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTimers } from '../../test/support/fake-timers.ts';
import { Lifecycle, type LifecycleOptions } from './container-lifecycle.ts';

/** A lifecycle whose drain and close finish when the test says, recording what happened when. */
function harness(lameduckMs: number, o: Partial<LifecycleOptions> = {}) {
  const timers = new FakeTimers();
  const events: string[] = [];
  let finishDrain: () => void = () => {};
  let drainTimeout = -1;
  const lifecycle = new Lifecycle({
    lameduckMs: () => lameduckMs,
    drain: (timeoutMs) => {
      drainTimeout = timeoutMs;
      events.push(`drain@${timers.now}`);
      return new Promise<void>((resolve) => (finishDrain = resolve));
    },
    close: async () => void events.push(`close@${timers.now}`),
    exit: (code) => void events.push(`exit ${code}@${timers.now}`),
    log: (line) => void events.push(`log ${line}`),
    drainTimeoutMs: 5000,
    timers,
    ...o,
  });
  return {
    timers,
    events,
    lifecycle,
    finishDrain: () => finishDrain(),
    drainTimeout: () => drainTimeout,
  };
}

test('SIGTERM while serving: lameduck (ready 503, still serving), then drain, close, exit 0', async () => {
  const h = harness(2000);
  h.lifecycle.serving();
  assert.equal(h.lifecycle.notReady(), undefined);
  h.lifecycle.signal('SIGTERM');
  assert.equal(h.lifecycle.state, 'lameduck');
  assert.equal(h.lifecycle.notReady(), 'lameduck');
  await h.timers.advance(1999);
  assert.deepEqual(
    h.events.filter((e) => !e.startsWith('log')),
    [],
    'nothing stops during lameduck',
  );
  await h.timers.advance(1);
  assert.equal(h.lifecycle.state, 'draining');
  assert.equal(h.lifecycle.notReady(), 'shutting down');
  assert.equal(h.drainTimeout(), 5000);
  await h.timers.advance(300);
  h.finishDrain();
  await h.timers.advance(0);
  assert.deepEqual(
    h.events.filter((e) => !e.startsWith('log')),
    ['drain@2000', 'close@2300', 'exit 0@2300'],
  );
  assert.equal(h.lifecycle.state, 'stopped');
  assert.match(h.events[0] as string, /^log SIGTERM: lameduck 2s \(still answering, \/ready 503\)/);
});

test('lameduck 0 drains at once', async () => {
  const h = harness(0);
  h.lifecycle.serving();
  h.lifecycle.signal('SIGINT');
  assert.equal(h.lifecycle.state, 'draining');
  h.finishDrain();
  await h.timers.advance(0);
  assert.deepEqual(
    h.events.filter((e) => !e.startsWith('log')),
    ['drain@0', 'close@0', 'exit 0@0'],
  );
  assert.equal(h.events[0], 'drain@0', 'listeners stop accepting before the line says so');
  assert.match(h.events[1] as string, /^log draining: .*\(at most 5s\)$/);
});

test('a second signal exits at once, with 128 + the signal number', async () => {
  const cases: { second: string; afterMs: number; code: number }[] = [
    { second: 'SIGTERM', afterMs: 500, code: 143 }, // during lameduck
    { second: 'SIGINT', afterMs: 2500, code: 130 }, // during the drain
  ];
  for (const c of cases) {
    const h = harness(2000);
    h.lifecycle.serving();
    h.lifecycle.signal('SIGTERM');
    await h.timers.advance(c.afterMs);
    h.lifecycle.signal(c.second);
    const exits = h.events.filter((e) => e.startsWith('exit'));
    assert.deepEqual(exits, [`exit ${c.code}@${c.afterMs}`], c.second);
    // The drain that was under way does not exit a second time.
    h.finishDrain();
    await h.timers.advance(10_000);
    assert.deepEqual(
      h.events.filter((e) => e.startsWith('exit')),
      exits,
      `${c.second}: one exit only`,
    );
  }
});

test('a signal during start-up closes what is open and exits 0, without lameduck', async () => {
  const h = harness(5000);
  h.lifecycle.signal('SIGTERM');
  await h.timers.advance(0);
  assert.deepEqual(h.events, ['close@0', 'exit 0@0']);
  assert.equal(h.lifecycle.notReady(), 'shutting down');
});

test('a drain that never finishes is cut at its deadline (bound + 1 s), and still exits 0', async () => {
  const h = harness(1000);
  h.lifecycle.serving();
  h.lifecycle.signal('SIGTERM');
  await h.timers.advance(1000 + 5999);
  assert.equal(h.events.filter((e) => e.startsWith('exit')).length, 0);
  await h.timers.advance(1);
  assert.deepEqual(
    h.events.filter((e) => !e.startsWith('log')),
    ['drain@1000', 'exit 0@7000'],
  );
  assert.ok(h.events.some((e) => /shutdown did not finish within 6s/.test(e)));
});

test('a failing close is logged and the process still exits 0', async () => {
  const h = harness(0, {
    drain: async () => {},
    close: async () => {
      throw new Error('live source: stop failed');
    },
  });
  h.lifecycle.serving();
  h.lifecycle.signal('SIGTERM');
  await h.timers.advance(0);
  assert.deepEqual(h.events.slice(1), ['log shutdown: live source: stop failed', 'exit 0@0']);
});
