// SerialWatch (serial-watch.ts) on the counter alone: rules 1, 2, 4, 5 and 3.'s sweep, as without a change log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CHECK_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_SETTLE_MS,
  SerialWatch,
  type SerialSource,
} from './serial-watch.ts';

const TTL = 30_000;
const RECHECK = 30_000;
const A = 'a.ns.svc.cluster.local';

/** A watch on a counter the test sets; `value: undefined` = no marker, `failure` = the read rejects. */
function setup(source: Partial<SerialSource> = {}) {
  const clock = { ms: 1_000_000 };
  const counter: { value: number | undefined; failure: Error | undefined; reads: number } = {
    value: 7,
    failure: undefined,
    reads: 0,
  };
  let changes = 0;
  const watch = new SerialWatch(
    {
      read: async () => {
        counter.reads++;
        if (counter.failure) throw counter.failure;
        return counter.value;
      },
      ...source,
    },
    { ttlMs: TTL, recheckMs: RECHECK, now: () => clock.ms, onChange: () => changes++ },
  );
  /** Checks when due, as CachedStore.lookup does; then the tag a read starting now gets. */
  const read = async () => {
    if (watch.due(clock.ms)) await watch.check();
    return { tag: watch.tag(clock.ms), readAt: clock.ms };
  };
  return { clock, counter, watch, read, changes: () => changes };
}

test('defaults: one check a second, 1 s settle, one hour cap', () => {
  assert.deepEqual(
    [DEFAULT_CHECK_MS, DEFAULT_SETTLE_MS, DEFAULT_MAX_AGE_MS],
    [1_000, 1_000, 3_600_000],
  );
  assert.throws(() => setup({ checkMs: 0 }), /checkMs must be positive/);
});

test('checks: at most one per checkMs, single-flight', async () => {
  const { clock, counter, watch } = setup();
  assert.equal(watch.due(clock.ms), true, 'the first lookup checks');
  await Promise.all([watch.check(), watch.check(), watch.check()]);
  assert.equal(counter.reads, 1);
  assert.equal(watch.due(clock.ms), false);
  clock.ms += 999;
  assert.equal(watch.due(clock.ms), false);
  clock.ms += 1;
  assert.equal(watch.due(clock.ms), true);
  const pending = watch.check();
  assert.equal(watch.due(clock.ms), true, 'a check in flight: lookups wait for it');
  await pending;
  assert.equal(counter.reads, 2);
  assert.equal(watch.checks, 2);
});

test('an unchanged counter keeps a confirmed entry valid past the TTL, up to maxAgeMs', async () => {
  const { clock, watch, read } = setup();
  await read(); // the counter is first seen now
  clock.ms += DEFAULT_SETTLE_MS;
  const entry = await read();
  assert.deepEqual(entry.tag, { seen: 1, base: 1 });
  for (const later of [TTL - 1, TTL, 10 * TTL, DEFAULT_MAX_AGE_MS - 1]) {
    clock.ms = entry.readAt + later;
    await read();
    assert.equal(watch.valid(entry.tag, A, entry.readAt, clock.ms), true, `${later} ms old`);
  }
  clock.ms = entry.readAt + DEFAULT_MAX_AGE_MS;
  await read();
  assert.equal(watch.valid(entry.tag, A, entry.readAt, clock.ms), false, 'maxAgeMs: read again');
});

test('settle: a read started within settleMs of a new value is valid for the TTL only', async () => {
  const { clock, watch, read } = setup();
  const early = await read();
  assert.deepEqual(early.tag, { seen: 1, base: 0 });
  clock.ms += TTL - 1;
  await read();
  assert.equal(watch.valid(early.tag, A, early.readAt, clock.ms), true);
  clock.ms += 1;
  assert.equal(watch.valid(early.tag, A, early.readAt, clock.ms), false);
});

test('without a change log, a change after a quiet TTL: every entry read before it is revalidated, young ones too', async () => {
  const { clock, counter, watch, read, changes } = setup();
  await read();
  clock.ms += TTL; // quiet for a TTL
  const old = await read();
  clock.ms += TTL - 2_000;
  const young = await read();
  counter.value = 8;
  clock.ms += 1_000; // within one check of the change
  await read();
  assert.equal(watch.changes, 1);
  assert.equal(
    watch.valid(young.tag, A, young.readAt, clock.ms),
    false,
    'a 1 s old entry is revalidated',
  );
  assert.equal(watch.valid(old.tag, A, old.readAt, clock.ms), false);
  const after = await read();
  assert.equal(after.tag.seen, 2);
  assert.equal(watch.valid(after.tag, A, after.readAt, clock.ms), true);
  assert.equal(changes(), 2, 'onChange: the first value and the change');
});

test('the first change after the counter was first seen counts as after a quiet period', async () => {
  const { clock, counter, watch, read } = setup();
  const entry = await read();
  counter.value = 8;
  clock.ms += 1_000;
  await read();
  assert.equal(watch.valid(entry.tag, A, entry.readAt, clock.ms), false);
});

test('without a change log, a busy cluster (changes less than a TTL apart): only entries older than the TTL are revalidated', async () => {
  const { clock, counter, watch, read } = setup();
  await read();
  counter.value = 8; // first change: a sweep
  clock.ms += 1_000;
  await read();
  clock.ms += DEFAULT_SETTLE_MS;
  const confirmed = await read();
  clock.ms += TTL;
  const young = await read();
  assert.equal(
    watch.valid(confirmed.tag, A, confirmed.readAt, clock.ms),
    true,
    'older than the TTL, nothing changed',
  );
  counter.value = 9; // 31 s after the last change: a sweep again
  clock.ms += 1_000;
  await read();
  assert.equal(watch.valid(young.tag, A, young.readAt, clock.ms), false);
  const reread = await read();
  counter.value = 10; // 1 s after the last change: busy
  clock.ms += 1_000;
  await read();
  assert.equal(
    watch.valid(reread.tag, A, reread.readAt, clock.ms),
    true,
    'young: valid for its TTL, as TTL-only',
  );
  clock.ms = reread.readAt + TTL;
  await read();
  assert.equal(watch.valid(reread.tag, A, reread.readAt, clock.ms), false, 'then read again');
  assert.equal(watch.changes, 3);
});

test('no marker (an older sync), or a failed check: TTL-only, next check after recheckMs', async () => {
  for (const fail of [false, true]) {
    const { clock, counter, watch, read } = setup();
    const confirmed = await read().then(async () => {
      clock.ms += DEFAULT_SETTLE_MS;
      return read();
    });
    if (fail) counter.failure = new Error('ECONNREFUSED');
    else counter.value = undefined;
    clock.ms += TTL;
    await read();
    assert.equal(
      watch.valid(confirmed.tag, A, confirmed.readAt, clock.ms),
      false,
      'past its TTL without a counter',
    );
    const during = await read();
    assert.equal(during.tag.base, 0);
    assert.equal(watch.valid(during.tag, A, during.readAt, clock.ms + TTL - 1), true, 'TTL-only');
    assert.equal(watch.unusable, 1);
    clock.ms += RECHECK - 1;
    assert.equal(watch.due(clock.ms), false, 'no check before recheckMs');
    clock.ms += 1;
    assert.equal(watch.due(clock.ms), true);
    counter.failure = undefined;
    counter.value = 7;
    await read();
    assert.equal(watch.changes, 0, 'back with the same value: nothing changed');
    clock.ms = confirmed.readAt + 2 * TTL;
    await read();
    assert.equal(
      watch.valid(confirmed.tag, A, confirmed.readAt, clock.ms),
      true,
      'the counter vouches again',
    );
  }
});

test('no marker from the start: every tag is epoch 0, TTL-only', async () => {
  const { clock, counter, watch, read } = setup();
  counter.value = undefined;
  const entry = await read();
  assert.deepEqual(entry.tag, { seen: 0, base: 0 });
  assert.equal(watch.valid(entry.tag, A, entry.readAt, clock.ms + TTL - 1), true);
  assert.equal(watch.valid(entry.tag, A, entry.readAt, clock.ms + TTL), false);
});
