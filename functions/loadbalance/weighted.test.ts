// `loadbalance weighted`: CoreDNS's order (CNAMEs, others, addresses, MX) with the address drawn
// by weight swapped first, checked with draws spread evenly over [0, 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import { toPresentation } from '../../test/support/presentation.ts';
import { rr } from '../../test/support/answer-line.ts';
import { weightedOrder, weightedPlugin } from './weighted.ts';
import { parseWeights } from './weights-file.ts';

const address = (r: Answer) => (r.type === 'A' || r.type === 'AAAA' ? r.data : '');

// CoreDNS's README example: 3 : 1 : 2.
const WEIGHTS = parseWeights('www.example.com\n100.64.1.1 3\n100.64.1.2 1\n100.64.1.3 2\n', 'w');
const THREE = ['100.64.1.1', '100.64.1.2', '100.64.1.3'].map((ip) =>
  rr(`www.example.com. 30 IN A ${ip}`),
);

test('the first address is drawn in proportion to its weight', () => {
  const firsts = new Map<string, number>();
  const n = 600;
  for (let k = 0; k < n; k++) {
    const first = weightedOrder(THREE, WEIGHTS, () => (k + 0.5) / n)[0]!;
    const ip = address(first);
    firsts.set(ip, (firsts.get(ip) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(firsts), {
    '100.64.1.1': 300,
    '100.64.1.3': 200,
    '100.64.1.2': 100,
  });
});

test("CoreDNS's order, the drawn address swapped first", () => {
  // records | random | after
  const cases: [string[], number, string[]][] = [
    // draw 0 falls on the heaviest (100.64.1.1), already first
    [
      [
        'www.example.com. 30 IN A 100.64.1.1',
        'www.example.com. 30 IN A 100.64.1.2',
        'www.example.com. 30 IN A 100.64.1.3',
      ],
      0,
      [
        'www.example.com. 30 IN A 100.64.1.1',
        'www.example.com. 30 IN A 100.64.1.2',
        'www.example.com. 30 IN A 100.64.1.3',
      ],
    ],
    // draw 5 of 6 falls on the lightest (100.64.1.2): swapped with the first
    [
      [
        'www.example.com. 30 IN A 100.64.1.1',
        'www.example.com. 30 IN A 100.64.1.2',
        'www.example.com. 30 IN A 100.64.1.3',
      ],
      5.5 / 6,
      [
        'www.example.com. 30 IN A 100.64.1.2',
        'www.example.com. 30 IN A 100.64.1.1',
        'www.example.com. 30 IN A 100.64.1.3',
      ],
    ],
    // CNAMEs, then others, then addresses, then MX; names without weights weigh 1
    [
      [
        'x.test. 5 IN MX 10 m.test.',
        'x.test. 5 IN A 10.0.0.1',
        'x.test. 5 IN TXT t',
        'x.test. 5 IN CNAME y.test.',
        'y.test. 5 IN AAAA fd00::1',
      ],
      0.99,
      [
        'x.test. 5 IN CNAME y.test.',
        'x.test. 5 IN TXT "t"',
        'y.test. 5 IN AAAA fd00::1',
        'x.test. 5 IN A 10.0.0.1',
        'x.test. 5 IN MX 10 m.test.',
      ],
    ],
    // no address: as it came
    [
      ['x.test. 5 IN TXT t', 'x.test. 5 IN CNAME y.test.'],
      0,
      ['x.test. 5 IN TXT "t"', 'x.test. 5 IN CNAME y.test.'],
    ],
  ];
  for (const [lines, r, after] of cases)
    assert.deepEqual(
      weightedOrder(lines.map(rr), WEIGHTS, () => r).map(toPresentation),
      after,
      lines.join(' | '),
    );
});

test('the plugin orders answers and additionals of A, AAAA and SRV NOERROR answers', async () => {
  const q = (type: string): PluginQuery => ({
    name: 'www.example.com',
    type,
    class: 'IN',
    flags: { cd: false, do: false },
    transport: 'udp',
    zone: '',
  });
  const sections = (rcode: Sections['rcode']): Sections => ({
    ...emptySections(rcode),
    answers: THREE,
    additionals: THREE,
  });
  const plugin = weightedPlugin(
    () => WEIGHTS,
    () => 5.5 / 6,
  );
  const first = (s: Sections) => [address(s.answers[0]!), address(s.additionals[0]!)];
  for (const type of ['A', 'AAAA', 'SRV']) {
    const out = await plugin(q(type), async () => sections('NOERROR'));
    assert.deepEqual(first(out), ['100.64.1.2', '100.64.1.2'], type);
    assert.equal(out.volatile, true);
  }
  assert.deepEqual(first(await plugin(q('TXT'), async () => sections('NOERROR'))), [
    '100.64.1.1',
    '100.64.1.1',
  ]);
  assert.deepEqual(first(await plugin(q('A'), async () => sections('NXDOMAIN'))), [
    '100.64.1.1',
    '100.64.1.1',
  ]);
  assert.equal(address(THREE[0]!), '100.64.1.1'); // what next returned is not reordered
});
