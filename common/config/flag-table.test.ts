import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layFlags, parseFlags, type FlagRow } from './flag-table.ts';

const pair = (text: string) => {
  const [a, b] = text.split('=');
  if (!b) throw new Error(`expected A=B, got "${text}"`);
  return { a, b };
};

const rows: FlagRow[] = [
  { flag: 'name', value: 'NAME', key: 'top.name', type: 'string', help: 'a string' },
  { flag: 'items', value: 'A,B', key: 'top.items', type: 'list', help: 'a list' },
  { flag: 'n', value: 'N', key: 'n', type: 'number', range: [1, 9], help: 'a number' },
  { flag: 'big', value: 'N', key: 'big', type: 'number', help: 'no range' },
  { flag: 'on', key: 'deep.er.on', type: 'boolean', help: 'a boolean' },
  { flag: 'pair', value: 'A=B', key: 'pairs', type: pair, repeat: true, help: 'parsed, repeated' },
  { flag: 'mode', value: 'M', key: 'pairs[].mode', type: 'string', help: 'on every element' },
  { flag: 'file', value: 'F', type: 'string', help: 'read by the command, no key' },
];

test('each type, laid at its key over a file; the file itself is not changed', () => {
  const file = { top: { name: 'file', keep: 1 }, pairs: [{ a: 'x', b: 'y' }] };
  const given = parseFlags(
    rows,
    ['--name', 'cli', '--items', 'a, b,,c', '--n=3', '--big', '12345678', '--on'].concat([
      '--pair',
      'p=q',
      '--mode',
      'm',
      '--pair',
      'r=s',
      '--file',
      'f.yaml',
    ]),
    'cmd',
  );
  const config = structuredClone(file);
  const origins = layFlags(rows, given, config);
  assert.deepEqual(config, {
    top: { name: 'cli', keep: 1, items: ['a', 'b', 'c'] },
    n: 3,
    big: 12345678,
    deep: { er: { on: true } },
    pairs: [
      { a: 'x', b: 'y', mode: 'm' },
      { a: 'p', b: 'q', mode: 'm' },
      { a: 'r', b: 's', mode: 'm' },
    ],
  });
  assert.deepEqual(file, { top: { name: 'file', keep: 1 }, pairs: [{ a: 'x', b: 'y' }] });
  assert.equal(given.values.file, 'f.yaml');
  assert.deepEqual(Object.fromEntries(origins), {
    'top.name': '--name cli',
    'top.items': '--items a, b,,c',
    n: '--n 3',
    big: '--big 12345678',
    'deep.er.on': '--on',
    pairs: '--pair',
    'pairs[1]': '--pair p=q',
    'pairs[2]': '--pair r=s',
    'pairs[0].mode': '--mode m',
    'pairs[1].mode': '--mode m',
    'pairs[2].mode': '--mode m',
  });
});

test('the last of a flag given twice wins', () => {
  assert.equal(parseFlags(rows, ['--name', 'a', '--name', 'b'], 'cmd').values.name, 'b');
});

// Each message names the flag as typed and what was expected.
const errors: [string[], string][] = [
  [['--n', 'x'], 'command line: --n: expected a whole number 1..9, got "x"'],
  [['--n', '10'], 'command line: --n: expected a whole number 1..9, got "10"'],
  [['--n', '-1'], 'command line: --n: expected a whole number 1..9, got "-1"'],
  [['--big', '1.5'], 'command line: --big: expected a whole number, got "1.5"'],
  [['--pair', 'p'], 'command line: --pair: expected A=B, got "p"'],
  [['--name'], 'command line: --name: expected NAME'],
  [['--name', '--on'], 'command line: --name: expected NAME'],
  [['--on=yes'], 'command line: --on takes no value, got "yes"'],
  [['--nope'], 'command line: unknown flag --nope'],
  [['-x'], 'command line: unknown flag -x'],
  [['stray'], 'command line: unexpected argument "stray"'],
];
for (const [argv, message] of errors) {
  test(`refused: ${argv.join(' ')}`, () => {
    assert.throws(
      () => parseFlags(rows, argv, 'cmd'),
      (e: Error) => e.name === 'ConfigError' && e.message.split('\n')[0] === message,
    );
  });
}

test('an unknown flag shows where the flags are described', () => {
  assert.throws(() => parseFlags(rows, ['--nope'], 'cmd'), /\nusage: cmd .*cmd --help/);
});
