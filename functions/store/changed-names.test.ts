import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangedNames } from './changed-names.ts';

/** Changes at epochs 2, 3, 5, seen at 100, 200, 300 ms. */
function three(): ChangedNames {
  const c = new ChangedNames();
  c.add(2, 100, ['a', 'b']);
  c.add(3, 200, ['b']);
  c.add(5, 300, ['c', 'd', 'e']);
  return c;
}

test('the newest epoch that changed a name; 0 for none', () => {
  const c = three();
  assert.deepEqual(
    ['a', 'b', 'c', 'x'].map((n) => c.at(n)),
    [2, 3, 5, 0],
  );
  assert.equal(c.held, 6);
  assert.equal(new ChangedNames().at('a'), 0);
});

test('dropping, oldest first: by time, by epoch, over the cap; the newest epoch dropped', () => {
  const cases: {
    what: string;
    before: number;
    through: number;
    max: number;
    dropped: number;
    at: [string, number][];
    held: number;
  }[] = [
    {
      what: 'nothing due',
      before: 100,
      through: 1,
      max: 6,
      dropped: 0,
      at: [
        ['a', 2],
        ['b', 3],
      ],
      held: 6,
    },
    {
      what: 'seen before 150 ms',
      before: 150,
      through: 0,
      max: 100,
      dropped: 2,
      at: [
        ['a', 0],
        ['b', 3],
      ],
      held: 4,
    },
    {
      what: 'epochs up to 3',
      before: 0,
      through: 3,
      max: 100,
      dropped: 3,
      at: [
        ['a', 0],
        ['b', 0],
        ['c', 5],
      ],
      held: 3,
    },
    {
      what: 'over 3 names held',
      before: 0,
      through: 0,
      max: 3,
      dropped: 3,
      at: [
        ['b', 0],
        ['e', 5],
      ],
      held: 3,
    },
    {
      what: 'over 2 names held: all of them',
      before: 0,
      through: 0,
      max: 2,
      dropped: 5,
      at: [['c', 0]],
      held: 0,
    },
  ];
  for (const c of cases) {
    const names = three();
    assert.equal(names.drop(c.before, c.through, c.max), c.dropped, c.what);
    for (const [name, epoch] of c.at) assert.equal(names.at(name), epoch, `${c.what}: ${name}`);
    assert.equal(names.held, c.held, c.what);
  }
});
