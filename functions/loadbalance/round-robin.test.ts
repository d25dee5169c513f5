// The round_robin plugin on Sections: the same runs as on the wire, a copy marked volatile when
// anything could move, NOERROR answers only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import fc from 'fast-check';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections, type Rcode } from '../core/sections.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import { rr } from '../../test/support/answer-line.ts';
import { roundRobinPlugin } from './round-robin.ts';

const query = (type = 'A'): PluginQuery => ({
  name: 'w.test',
  type,
  class: 'IN',
  flags: { cd: false, do: false },
  transport: 'udp',
  zone: '',
});

async function run(lines: string[], o: { type?: string; rcode?: Rcode; random?: number } = {}) {
  const answers = lines.map(rr);
  const plugin = roundRobinPlugin(() => o.random ?? 0);
  const out = await plugin(query(o.type), async () => ({
    ...emptySections(o.rcode ?? 'NOERROR'),
    answers,
  }));
  return { out, answers, text: out.answers.map(toPresentation) };
}

test('runs of one owner and type shuffled, the rest in place', async () => {
  const cases: [string, string[], Parameters<typeof run>[1], string[]][] = [
    [
      'three A, random 0',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3'],
      {},
      ['w.test. 5 IN A 10.0.0.2', 'w.test. 5 IN A 10.0.0.3', 'w.test. 5 IN A 10.0.0.1'],
    ],
    [
      'the CNAME stays first',
      ['w.test. 5 IN CNAME t.test.', 't.test. 5 IN A 10.0.0.1', 't.test. 5 IN A 10.0.0.2'],
      {},
      ['w.test. 5 IN CNAME t.test.', 't.test. 5 IN A 10.0.0.2', 't.test. 5 IN A 10.0.0.1'],
    ],
    [
      'owners spelled differently are different runs',
      ['t.test. 5 IN A 10.0.0.1', 'T.test. 5 IN A 10.0.0.2'],
      {},
      ['t.test. 5 IN A 10.0.0.1', 'T.test. 5 IN A 10.0.0.2'],
    ],
    [
      'MX',
      ['w.test. 5 IN MX 10 a.test.', 'w.test. 5 IN MX 20 b.test.'],
      { type: 'MX' },
      ['w.test. 5 IN MX 20 b.test.', 'w.test. 5 IN MX 10 a.test.'],
    ],
    [
      'A then AAAA',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN AAAA fd00::1'],
      {},
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN AAAA fd00::1'],
    ],
    [
      'NXDOMAIN untouched',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
      { rcode: 'NXDOMAIN' },
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
    ],
    [
      'AXFR untouched',
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
      { type: 'AXFR' },
      ['w.test. 5 IN A 10.0.0.1', 'w.test. 5 IN A 10.0.0.2'],
    ],
  ];
  for (const [label, lines, options, after] of cases) {
    const { out, answers, text } = await run(lines, options);
    assert.deepEqual(text, after, label);
    assert.deepEqual(
      answers.map(toPresentation),
      lines.map((l) => toPresentation(rr(l))),
      `${label}: input kept`,
    );
    const moved = after.join() !== lines.map((l) => toPresentation(rr(l))).join();
    if (moved) assert.equal(out.volatile, true, `${label}: volatile`);
  }
});

test('a single answer is passed on as it came, cacheable', async () => {
  const { out } = await run(['w.test. 5 IN A 10.0.0.1']);
  assert.equal(out.volatile, undefined);
});

test('the records are the same, each owner and type in its place', async () => {
  const answer = fc
    .tuple(
      fc.constantFrom('a.test', 'b.test'),
      fc.constantFrom('A', 'AAAA', 'CNAME', 'MX'),
      fc.nat(9),
    )
    .map(([owner, type, n]) =>
      rr(
        `${owner}. 5 IN ${type} ${type === 'A' ? `10.0.0.${n}` : type === 'AAAA' ? `fd00::${n}` : type === 'MX' ? `${n} m${n}.test.` : `c${n}.test.`}`,
      ),
    );
  await fc.assert(
    fc.asyncProperty(
      fc.array(answer, { maxLength: 10 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      async (answers, r) => {
        const out = await roundRobinPlugin(() => r)(query(), async () => ({
          ...emptySections('NOERROR'),
          answers,
        }));
        const sorted = (rrs: Answer[]) => rrs.map(toPresentation).sort();
        assert.deepEqual(sorted(out.answers), sorted(answers));
        const places = (rrs: Answer[]) => rrs.map((a) => `${a.name} ${a.type}`);
        assert.deepEqual(places(out.answers), places(answers));
      },
    ),
  );
});
