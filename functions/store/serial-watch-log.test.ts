// SerialWatch (serial-watch.ts) with the sync's change log: rule 3 name by name, and its fallback
// to a sweep when the log cannot say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_SETTLE_MS,
  MAX_CHANGED_NAMES,
  SerialWatch,
  type SerialSource,
  type SerialTag,
} from './serial-watch.ts';

const TTL = 30_000;
const A = 'a.ns.svc.cluster.local';
const B = 'b.ns.svc.cluster.local';
/** A name that does not exist yet (a negative entry) until a change creates it. */
const C = 'c.ns.svc.cluster.local';

type Log = Map<number, string[] | 'all'>;

/** A watch on a counter (starting at 7) and a change log the test sets, as the reader serves them. */
function setup(options: { log?: Log | 'none'; logFailure?: boolean } = {}) {
  const clock = { ms: 1_000_000 };
  const counter = { value: 7 };
  const log = options.log === 'none' ? undefined : (options.log ?? new Map());
  const asked: [number, number][] = [];
  const changes: SerialSource['changes'] = async (after, upTo) => {
    asked.push([after, upTo]);
    if (options.logFailure) throw new Error('ECONNRESET');
    if (upTo <= after || upTo - after > 64) return undefined;
    const names: string[] = [];
    for (let v = after + 1; v <= upTo; v++) {
      const logged = log!.get(v);
      if (logged === undefined || logged === 'all') return undefined;
      names.push(...logged);
    }
    return names;
  };
  const watch = new SerialWatch(
    { read: async () => counter.value, ...(log && { changes }) },
    { ttlMs: TTL, recheckMs: 30_000, now: () => clock.ms },
  );
  const read = async () => {
    if (watch.due(clock.ms)) await watch.check();
    return { tag: watch.tag(clock.ms), readAt: clock.ms };
  };
  return { clock, counter, log: log ?? new Map(), asked, watch, read };
}

type Entry = { tag: SerialTag; readAt: number };

/** Entries of A, B and C: `old` past their TTL, valid on the counter; `young` within their TTL. */
async function cached(s: ReturnType<typeof setup>): Promise<{ old: Entry; young: Entry }> {
  await s.read();
  s.clock.ms += DEFAULT_SETTLE_MS;
  const old = await s.read();
  s.clock.ms += 2 * TTL;
  const young = await s.read();
  for (const name of [A, B, C])
    assert.equal(s.watch.valid(old.tag, name, old.readAt, s.clock.ms), true);
  s.clock.ms += 1_000;
  return { old, young };
}

test('a counter move: the names its log names are revalidated, young or not; the others stay valid', async () => {
  const cases: {
    what: string;
    to: number;
    log?: Log | 'none';
    logFailure?: boolean;
    asked: [number, number][];
    reread: string[];
  }[] = [
    { what: 'one value naming A', to: 8, log: new Map([[8, [A]]]), asked: [[7, 8]], reread: [A] },
    {
      what: 'three values: A, nothing, C (created)',
      to: 10,
      log: new Map([
        [8, [A]],
        [9, []],
        [10, [C]],
      ]),
      asked: [[7, 10]],
      reread: [A, C],
    },
    {
      what: 'a log item missing',
      to: 10,
      log: new Map([
        [8, [A]],
        [10, [C]],
      ]),
      asked: [[7, 10]],
      reread: [A, B, C],
    },
    {
      what: 'one says everything changed',
      to: 9,
      log: new Map<number, string[] | 'all'>([
        [8, [A]],
        [9, 'all'],
      ]),
      asked: [[7, 9]],
      reread: [A, B, C],
    },
    { what: 'a move longer than the log kept', to: 7 + 65, asked: [[7, 72]], reread: [A, B, C] },
    {
      what: 'back to a lower value (a marker made again)',
      to: 3,
      asked: [[7, 3]],
      reread: [A, B, C],
    },
    { what: 'the log cannot be read', to: 8, logFailure: true, asked: [[7, 8]], reread: [A, B, C] },
    { what: 'no change log', to: 8, log: 'none', asked: [], reread: [A, B, C] },
  ];
  for (const c of cases) {
    const s = setup({ ...(c.log && { log: c.log }), ...(c.logFailure && { logFailure: true }) });
    const { old, young } = await cached(s);
    s.counter.value = c.to;
    await s.read();
    assert.deepEqual(s.asked, c.asked, `${c.what}: the log read`);
    for (const name of [A, B, C]) {
      const expected = !c.reread.includes(name);
      assert.equal(
        s.watch.valid(old.tag, name, old.readAt, s.clock.ms),
        expected,
        `${c.what}: ${name}, old entry`,
      );
      assert.equal(
        s.watch.valid(young.tag, name, young.readAt, s.clock.ms),
        expected,
        `${c.what}: ${name}, young entry`,
      );
    }
    const named = c.reread.length < 3;
    assert.deepEqual(
      [s.watch.changes, s.watch.namedChanges, s.watch.sweeps],
      [1, named ? 1 : 0, named ? 0 : 1],
      c.what,
    );
  }
});

test('a re-read after a named change: valid for the TTL while within the settle time, then on the counter', async () => {
  const s = setup({ log: new Map([[8, [A]]]) });
  await cached(s);
  s.counter.value = 8;
  await s.read();
  const early = await s.read(); // within settleMs of 8: may miss its writes
  assert.equal(s.watch.valid(early.tag, A, early.readAt, early.readAt + TTL - 1), true);
  assert.equal(
    s.watch.valid(early.tag, A, early.readAt, early.readAt + TTL),
    false,
    'then read again',
  );
  assert.equal(
    s.watch.valid(early.tag, B, early.readAt, early.readAt + TTL),
    true,
    'B did not change since the older base',
  );
  s.clock.ms += DEFAULT_SETTLE_MS;
  const settled = await s.read();
  assert.equal(s.watch.valid(settled.tag, A, settled.readAt, settled.readAt + 10 * TTL), true);
});

test('a read in flight when its name changes is revalidated; changes of other names leave it valid', async () => {
  const s = setup({
    log: new Map([
      [8, [B]],
      [9, [A]],
    ]),
  });
  await cached(s);
  const started = await s.read(); // the tag is taken when the read starts
  s.counter.value = 8;
  s.clock.ms += 1_000;
  await s.read();
  assert.equal(s.watch.valid(started.tag, A, s.clock.ms, s.clock.ms), true, 'B changed, not A');
  s.counter.value = 9;
  s.clock.ms += 1_000;
  await s.read();
  assert.equal(
    s.watch.valid(started.tag, A, s.clock.ms, s.clock.ms),
    false,
    'A changed after the read started',
  );
});

test('a busy cluster, name by name: each change costs its names only, and no sweep', async () => {
  const s = setup({ log: new Map() });
  const { old } = await cached(s);
  for (let v = 8; v < 8 + 300; v++) {
    s.log.set(v, [`n${v}.ns.svc.cluster.local`]);
    s.counter.value = v;
    s.clock.ms += 1_000;
    await s.read();
  }
  for (const name of [A, B, C])
    assert.equal(s.watch.valid(old.tag, name, old.readAt, s.clock.ms), true, name);
  assert.equal(s.watch.valid(old.tag, 'n100.ns.svc.cluster.local', old.readAt, s.clock.ms), false);
  assert.deepEqual([s.watch.namedChanges, s.watch.sweeps, s.watch.namesChanged], [300, 0, 300]);
});

test('a sweep while name by name: the busy rule (one sweep with young entries per TTL) still holds', async () => {
  const s = setup({
    log: new Map<number, string[] | 'all'>([
      [8, [A]],
      [9, 'all'],
      [10, 'all'],
    ]),
  });
  const { young: beforeSweep } = await cached(s);
  s.counter.value = 8;
  await s.read();
  assert.equal(s.watch.valid(beforeSweep.tag, B, beforeSweep.readAt, s.clock.ms), true);
  s.counter.value = 9; // the first sweep: young entries too
  s.clock.ms += 1_000;
  await s.read();
  assert.equal(s.watch.valid(beforeSweep.tag, B, beforeSweep.readAt, s.clock.ms), false);
  s.clock.ms += DEFAULT_SETTLE_MS;
  const young = await s.read();
  s.counter.value = 10; // 2 s later: busy, only entries older than the TTL
  s.clock.ms += 1_000;
  await s.read();
  assert.equal(s.watch.valid(young.tag, B, young.readAt, s.clock.ms), true);
  assert.equal(s.watch.valid(young.tag, B, young.readAt, young.readAt + TTL), false);
  assert.equal(s.watch.sweeps, 2);
});

test('changed names are held while an entry read before them may answer (maxAgeMs), and at most MAX_CHANGED_NAMES', async () => {
  const s = setup({ log: new Map() });
  await cached(s);
  s.log.set(8, [A, B]);
  s.counter.value = 8;
  await s.read();
  assert.equal(s.watch.namesHeld, 2);
  s.clock.ms += DEFAULT_MAX_AGE_MS + DEFAULT_SETTLE_MS + 1;
  s.log.set(9, [C]);
  s.counter.value = 9;
  await s.read();
  assert.equal(s.watch.namesHeld, 1, 'the change to A and B is dropped');
  s.clock.ms += DEFAULT_SETTLE_MS;
  const entry = await s.read();
  s.log.set(
    10,
    Array.from({ length: MAX_CHANGED_NAMES + 1 }, (_, i) => `n${i}.ns.svc.cluster.local`),
  );
  s.counter.value = 10;
  s.clock.ms += 1_000;
  await s.read();
  assert.equal(s.watch.namesHeld, 0, 'over the cap: dropped at once');
  assert.equal(
    s.watch.valid(entry.tag, A, entry.readAt, s.clock.ms),
    false,
    'so it counts as a sweep for entries read before it',
  );
  s.clock.ms += DEFAULT_SETTLE_MS;
  const after = await s.read();
  assert.equal(s.watch.valid(after.tag, A, after.readAt, after.readAt + 2 * TTL), true);
});
