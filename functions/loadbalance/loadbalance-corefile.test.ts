import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directive } from '../corefile/corefile.ts';
import { loadbalanceFromDirective } from './loadbalance-corefile.ts';

/** `loadbalance ARGS`, then `{ option args }` lines, one a line from line 2. */
const directive = (args: string, block?: string[]): Directive => ({
  name: 'loadbalance',
  args: args.split(/\s+/).filter(Boolean),
  file: 'Corefile',
  line: 1,
  ...(block && {
    block: block.map((l, i) => {
      const [name, ...a] = l.split(/\s+/) as [string, ...string[]];
      return { name, args: a, file: 'Corefile', line: i + 2 };
    }),
  }),
});

test('policies and options', () => {
  const cases: [Directive, unknown][] = [
    [directive(''), { policy: 'round_robin' }],
    [directive('round_robin'), { policy: 'round_robin' }],
    [
      directive('weighted ./db.example.com.weights'),
      { policy: 'weighted', weightFile: './db.example.com.weights', reloadMs: 30_000 },
    ],
    [
      directive('weighted w', ['reload 10s']),
      { policy: 'weighted', weightFile: 'w', reloadMs: 10_000 },
    ],
    [
      directive('weighted w', ['reload 1m30s']),
      { policy: 'weighted', weightFile: 'w', reloadMs: 90_000 },
    ],
    [
      directive('weighted w', ['reload 1.5s']),
      { policy: 'weighted', weightFile: 'w', reloadMs: 1500 },
    ],
    [directive('weighted w', ['reload 0s']), { policy: 'weighted', weightFile: 'w', reloadMs: 0 }],
    [directive('weighted w', ['reload 0']), { policy: 'weighted', weightFile: 'w', reloadMs: 0 }],
  ];
  for (const [d, config] of cases)
    assert.deepEqual(loadbalanceFromDirective(d), config, d.args.join(' '));
});

test('bad directives: the line and the reason', () => {
  const p = (line: number) => `Corefile:${line} - Error during parsing: loadbalance: `;
  const cases: [Directive, string][] = [
    [directive('round_robin extra'), `${p(1)}unknown property for round_robin: extra`],
    [directive('random'), `${p(1)}unknown policy: random (expected round_robin or weighted)`],
    [directive('weighted'), `${p(1)}missing weight file argument`],
    [directive('weighted a b'), `${p(1)}unexpected argument: b`],
    [directive('weighted w', ['reload']), `${p(2)}reload duration value is missing`],
    [directive('weighted w', ['reload 1s 2s']), `${p(2)}unexpected argument: 2s`],
    [
      directive('weighted w', ['reload soon']),
      `${p(2)}invalid reload duration 'soon': expected a duration such as 10s or 1m`,
    ],
    [
      directive('weighted w', ['reload 10']),
      `${p(2)}invalid reload duration '10': expected a duration such as 10s or 1m`,
    ],
    [
      directive('weighted w', ['reload 10s', 'jitter 1s']),
      `${p(3)}unknown property 'jitter' for weighted`,
    ],
    [directive('round_robin', ['reload 10s']), `${p(2)}unknown property 'reload' for round_robin`],
    [
      directive('', ['prefer 10.9.20.0/24']),
      `${p(2)}prefer is not supported by edge-dns (subnet ordering of addresses)`,
    ],
    [
      directive('weighted w', ['prefer 10.9.20.0/24']),
      `${p(2)}prefer is not supported by edge-dns (subnet ordering of addresses)`,
    ],
  ];
  for (const [d, message] of cases)
    assert.throws(
      () => loadbalanceFromDirective(d),
      { name: 'CorefileError', message },
      JSON.stringify(d),
    );
});
