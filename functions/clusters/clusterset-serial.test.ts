// Several clusters' change counters as one (clusterset-serial.ts): the sum is watched, and a move
// is explained by the change logs of the clusters that moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clustersetSerial, type ClusterCounters } from './clusterset-serial.ts';

/** Counters set by the test; logs name `<cluster>:<after>..<upTo>`, or cannot say for `west`
 *  when `westLog` is false. */
function counters(): ClusterCounters & {
  values: Map<string, number | undefined>;
  asked: string[];
  westLog: boolean;
} {
  const c = {
    values: new Map<string, number | undefined>([
      ['east', 3],
      ['west', 5],
    ]),
    asked: [] as string[],
    westLog: true,
    readSerials: async () => new Map(c.values),
    readChanges: async (cluster: string, after: number, upTo: number) => {
      c.asked.push(`${cluster} ${after}..${upTo}`);
      return cluster === 'west' && !c.westLog ? undefined : [`${cluster}:${after}..${upTo}`];
    },
  };
  return c;
}

test("the sum moves with any counter; only the moved clusters' logs are read", async () => {
  const c = counters();
  const s = clustersetSerial(c, 1000);
  assert.equal(await s.read(), 8);
  c.values.set('east', 5);
  assert.equal(await s.read(), 10);
  assert.deepEqual(await s.changes!(8, 10), ['east:3..5']);
  assert.deepEqual(c.asked, ['east 3..5']);
  c.values.set('east', 6);
  c.values.set('west', 7);
  assert.equal(await s.read(), 13);
  assert.deepEqual(await s.changes!(10, 13), ['east:5..6', 'west:5..7']);
});

test('a log that cannot say, or an unknown value, sweeps (undefined)', async () => {
  const c = counters();
  const s = clustersetSerial(c, 1000);
  await s.read();
  c.values.set('west', 6);
  c.westLog = false;
  await s.read();
  assert.equal(await s.changes!(8, 9), undefined);
  assert.equal(await s.changes!(1, 9), undefined);
});

test('a cluster without a counter: no counter at all (TTL-only)', async () => {
  const c = counters();
  c.values.set('west', undefined);
  assert.equal(await clustersetSerial(c, 1000).read(), undefined);
});
