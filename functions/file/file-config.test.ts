import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileFromDirective } from './file-config.ts';
import type { Directive } from '../corefile/corefile.ts';

const at = { file: 'Corefile', line: 3 };
const directive = (args: string[], block?: [string, ...string[]][]): Directive => ({
  name: 'file',
  args,
  ...at,
  ...(block && { block: block.map(([name, ...a]) => ({ name, args: a, ...at, line: 4 })) }),
});

test('file DBFILE [ZONES...] { reload DURATION }, as CoreDNS reads it', () => {
  assert.deepEqual(fileFromDirective(directive(['db.example.org'])), {
    file: 'db.example.org',
    zones: [],
    reloadMs: 60_000, // CoreDNS's default: 1m
  });
  assert.deepEqual(
    fileFromDirective(
      directive(['db.example', 'Example.ORG.', 'example.net'], [['reload', '30s']]),
    ),
    { file: 'db.example', zones: ['example.org', 'example.net'], reloadMs: 30_000 },
  );
  assert.equal(fileFromDirective(directive(['db'], [['reload', '0']])).reloadMs, 0);
  assert.equal(fileFromDirective(directive(['db'], [['reload', '1h30m']])).reloadMs, 5_400_000);
});

test('mistakes name the Corefile line and what was expected', () => {
  const cases: [Directive, string][] = [
    [directive([]), 'Corefile:3 - Error during parsing: file: expected DBFILE [ZONES...]'],
    [
      directive(['db'], [['upstream']]),
      'Corefile:4 - Error during parsing: upstream: expected reload DURATION (the only option of file)',
    ],
    [
      directive(['db'], [['reload']]),
      'Corefile:4 - Error during parsing: reload: expected one DURATION, such as 30s or 1m',
    ],
    [
      directive(['db'], [['reload', '30']]),
      'Corefile:4 - Error during parsing: reload: expected a duration such as 500ms, 5s, 1m or 1h30m, got "30"',
    ],
  ];
  for (const [d, message] of cases) assert.throws(() => fileFromDirective(d), { message });
});
