// CoreDNS's `loop` detector (plugin/loop loop_test.go and README): the probe seen more than twice
// in the chain is a loop; our own marked query coming back is one at once; after the probe is
// answered nothing is counted. Random labels come from a fixed sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { LoopDetector, loopMessage, type LoopFound } from './loop-detector.ts';
import { checkLoopDirective } from './loop-corefile.ts';

const draws =
  (...xs: number[]) =>
  () =>
    xs.shift() ?? 0;
const q = (name: string, type = 'HINFO'): PluginQuery => ({
  name,
  type,
  class: 'IN',
  flags: { cd: false, do: false },
  transport: 'udp',
  remote: { address: '127.0.0.1', port: 5353 },
  zone: '',
});
const next = async () => emptySections('NOERROR');

function detector(zone = '') {
  const found: LoopFound[] = [];
  const d = new LoopDetector(zone, draws(0.5, 0.25), (l) => void found.push(l));
  return { d, found, plugin: d.plugin() };
}

test('the probe name: two random labels under the zone', () => {
  assert.match(detector('').d.name, /^\d+\.\d+$/);
  assert.match(detector('example.org').d.name, /^\d+\.\d+\.example\.org$/);
});

// [queries through the chain, loops found after them]
const rows: [what: string, asked: (name: string) => PluginQuery[], found: number][] = [
  ['the probe twice', (n) => [q(n), q(n)], 0],
  ['the probe three times', (n) => [q(n), q(n), q(n)], 1],
  ['the probe five times: reported once', (n) => [q(n), q(n), q(n), q(n), q(n)], 1],
  ['in other case', (n) => [q(n.toUpperCase()), q(n), q(n.toUpperCase())], 1],
  ['the probe name as A', (n) => [q(n, 'A'), q(n, 'A'), q(n, 'A')], 0],
  ['other names', () => [q('a.b'), q('a.b'), q('a.b')], 0],
];
for (const [what, asked, found] of rows) {
  test(`loop: ${what} -> ${found} loop(s)`, async () => {
    const t = detector();
    for (const one of asked(t.d.name)) assert.equal((await t.plugin(one, next)).rcode, 'NOERROR');
    assert.equal(t.found.length, found);
    if (found)
      assert.deepEqual(t.found[0], {
        zone: '',
        name: t.d.name,
        remote: '127.0.0.1:5353',
        how: 'seen',
      });
  });
}

test('our marked probe coming back is a loop at once', () => {
  const t = detector();
  t.d.marked('other.name', 'HINFO');
  t.d.marked(t.d.name, 'A');
  assert.equal(t.found.length, 0);
  t.d.marked(t.d.name, 'HINFO');
  assert.deepEqual(
    t.found.map((l) => l.how),
    ['marked'],
  );
});

test('after standing down nothing is counted', async () => {
  const t = detector();
  t.d.standDown();
  for (let i = 0; i < 5; i++) await t.plugin(q(t.d.name), next);
  t.d.marked(t.d.name, 'HINFO');
  assert.equal(t.found.length, 0);
  assert.equal(t.d.done, true);
});

test("CoreDNS's fatal line", () => {
  const line = loopMessage({ zone: '', name: '1.2', remote: '127.0.0.1:5353', how: 'seen' }, ':53');
  assert.equal(
    line,
    'plugin/loop: Loop (127.0.0.1:5353 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 1.2."',
  );
});

test('loop takes no arguments and no block', () => {
  const d = { name: 'loop', file: 'Corefile', line: 3 };
  assert.doesNotThrow(() => checkLoopDirective({ ...d, args: [] }));
  assert.throws(
    () => checkLoopDirective({ ...d, args: ['x'] }),
    /Corefile:3 - .*loop: unexpected argument: x/,
  );
});
