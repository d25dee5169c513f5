// The reload triggers (CoreDNS `reload`: a hash compared every interval; SIGHUP/SIGUSR1) on a
// file and a clock the test owns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTimers, settle } from '../../test/support/fake-timers.ts';
import { Reloader, type ReloaderOptions } from './container-reload.ts';

function harness(o: Partial<ReloaderOptions> = {}) {
  const timers = new FakeTimers();
  const files = new Map([['edge.yaml', 'ttl: 5\n']]);
  const applied: string[] = [];
  const failed: string[] = [];
  const reloaded: string[] = [];
  let active = true;
  const reloader = new Reloader(
    {
      path: 'edge.yaml',
      read: async (path) => {
        const text = files.get(path);
        if (text === undefined) throw new Error('ENOENT: no such file');
        return text;
      },
      apply: async (text) => {
        if (text.includes('bad')) throw new Error(`edge.yaml:1: kubernetes.ttl: expected 0..3600`);
        applied.push(text);
        return 'ttl changed';
      },
      intervalMs: 30_000,
      active: () => active,
      failed: (m) => void failed.push(m),
      reloaded: (s) => void reloaded.push(s),
      timers,
      ...o,
    },
    'ttl: 5\n',
  );
  return {
    timers,
    files,
    applied,
    failed,
    reloaded,
    reloader,
    write: (text: string) => void files.set('edge.yaml', text),
    shutDown: () => (active = false),
  };
}

test('the interval applies a changed file once, and leaves an unchanged one alone', async () => {
  const h = harness();
  h.reloader.start();
  await h.timers.advance(30_000);
  assert.deepEqual(h.applied, [], 'same content: nothing to do');
  h.write('ttl: 30\n');
  await h.timers.advance(29_999);
  assert.deepEqual(h.applied, [], 'not before the interval');
  await h.timers.advance(1);
  assert.deepEqual(h.applied, ['ttl: 30\n']);
  assert.deepEqual(h.reloaded, ['edge.yaml (file changed): ttl changed']);
  await h.timers.advance(90_000);
  assert.deepEqual(h.applied, ['ttl: 30\n'], 'applied once');
});

test('a bad file is reported once per content and nothing is applied; a fixed file is', async () => {
  const h = harness();
  h.reloader.start();
  h.write('ttl: bad\n');
  await h.timers.advance(30_000);
  await h.timers.advance(60_000);
  assert.deepEqual(h.failed, ['edge.yaml:1: kubernetes.ttl: expected 0..3600']);
  assert.deepEqual(h.applied, []);
  h.write('ttl: 10\n');
  await h.timers.advance(30_000);
  assert.deepEqual(h.applied, ['ttl: 10\n']);
});

test('a signal reloads at once, even an unchanged file; a bad file fails on every signal', async () => {
  const h = harness();
  await h.reloader.request('SIGHUP');
  assert.deepEqual(h.applied, ['ttl: 5\n']);
  assert.deepEqual(h.reloaded, ['edge.yaml (SIGHUP): ttl changed']);
  h.write('bad');
  await h.reloader.request('SIGUSR1');
  await h.reloader.request('SIGUSR1');
  assert.equal(h.failed.length, 2);
});

test('an unreadable file is a failed reload, reported once by the interval', async () => {
  const h = harness();
  h.reloader.start();
  h.files.clear();
  await h.timers.advance(90_000);
  assert.deepEqual(h.failed, ['edge.yaml: cannot read config file: ENOENT: no such file']);
});

test('reloads run one at a time; requests during one fold into one more', async () => {
  let release: () => void = () => {};
  const started: string[] = [];
  const h = harness({
    apply: (text) => {
      started.push(text);
      return new Promise((resolve) => (release = () => resolve('done')));
    },
  });
  const first = h.reloader.request('SIGHUP');
  await settle();
  h.write('ttl: 7\n');
  const second = h.reloader.request('SIGHUP');
  const third = h.reloader.check();
  const fourth = h.reloader.request('SIGUSR1');
  await settle();
  assert.deepEqual(started, ['ttl: 5\n'], 'one at a time');
  release();
  await first;
  await settle();
  assert.deepEqual(started, ['ttl: 5\n', 'ttl: 7\n'], 'then one more for the three requests');
  release();
  await Promise.all([second, third, fourth]);
  assert.equal(started.length, 2);
  assert.deepEqual(h.reloaded, ['edge.yaml (SIGHUP): done', 'edge.yaml (SIGUSR1): done']);
});

test('setInterval reschedules; 0 turns the poll off; nothing reloads once shutting down', async () => {
  const h = harness();
  h.reloader.start();
  h.reloader.setInterval(1000);
  h.write('ttl: 1\n');
  await h.timers.advance(1000);
  assert.deepEqual(h.applied, ['ttl: 1\n']);
  h.reloader.setInterval(0);
  assert.equal(h.timers.pending, 0);
  h.write('ttl: 2\n');
  await h.timers.advance(60_000);
  assert.deepEqual(h.applied, ['ttl: 1\n']);
  h.shutDown();
  await h.reloader.request('SIGHUP');
  assert.deepEqual(h.applied, ['ttl: 1\n']);
  assert.deepEqual(h.failed, []);
});

// CoreDNS `reload INTERVAL JITTER`: each check at INTERVAL moved by up to JITTER either way,
// drawn anew each time (random() 0 is -JITTER, 0.5 none, 1 nearly +JITTER).
test('the jitter moves every check by up to JITTER either way', async () => {
  const draws = [0, 0.5, 0.999];
  const h = harness({ jitterMs: 10_000, random: () => draws.shift() ?? 0.5 });
  h.reloader.start();
  h.write('ttl: 1\n');
  await h.timers.advance(19_999);
  assert.deepEqual(h.applied, [], 'not before INTERVAL - JITTER');
  await h.timers.advance(1);
  assert.deepEqual(h.applied, ['ttl: 1\n'], 'first check at 20 s');
  h.write('ttl: 2\n');
  await h.timers.advance(29_999);
  assert.deepEqual(h.applied, ['ttl: 1\n'], 'second check not before 30 s more');
  await h.timers.advance(1);
  assert.deepEqual(h.applied, ['ttl: 1\n', 'ttl: 2\n']);
  h.write('ttl: 3\n');
  await h.timers.advance(39_979);
  assert.deepEqual(h.applied.length, 2, 'third check not before 39.98 s more');
  await h.timers.advance(1);
  assert.deepEqual(h.applied, ['ttl: 1\n', 'ttl: 2\n', 'ttl: 3\n']);
});

test('interval 0: no timer at all; a signal still reloads', async () => {
  const h = harness({ intervalMs: 0, jitterMs: 0 });
  h.reloader.start();
  h.write('ttl: 9\n');
  await h.timers.advance(24 * 3_600_000);
  assert.deepEqual(h.applied, []);
  await h.reloader.request('SIGHUP');
  assert.deepEqual(h.applied, ['ttl: 9\n']);
});
