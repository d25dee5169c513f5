import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substituteEnv } from './env-substitution.ts';

const env = {
  PORT: '8080',
  ADDRESS: 'servername.com',
  FOOBAR: 'foobar',
  PARTIAL_DIR: 'r1',
  LOOP: '{$LOOP}',
  WIN: '{$FOOBAR}',
  EMPTY: '',
};

test("{$NAME} and {%NAME%} as CoreDNS's caddyfile parser replaces them", () => {
  const table: [word: string, replaced: string][] = [
    ['{$ADDRESS}', 'servername.com'],
    ['di{$PARTIAL_DIR}', 'dir1'],
    ['{$ADDRESS}:{$PORT}', 'servername.com:8080'],
    ['{%ADDRESS%}:{$PORT}', 'servername.com:8080'],
    ['{$ADDRESS}:{%PORT%}', 'servername.com:8080'],
    ['{%ADDRESS%}/{%FOOBAR%}', 'servername.com/foobar'],
    ['{%ADDRESS}', '{%ADDRESS}'], // not closed by %}: left as written
    [':{$PORT$}', ':'], // the name is PORT$, unset: empty
    ['{$UNSET}', ''],
    ['{$EMPTY}x', 'x'],
    ['Test {$FOOBAR} test', 'Test foobar test'],
    ['{{ .Name }} {$FOOBAR}', '{{ .Name }} foobar'],
    ['{$}', '{$}'],
    ['{%}', '{%}'],
    ['{%%}', '{%%}'],
    ['{$} {$PORT}', '{$} {$PORT}'], // an empty reference ends the replacement, as in CoreDNS
    ['{$constructor}', ''], // only the variables given, never an object's own properties
    ['{$LOOP}', '{$LOOP}'], // a value is not searched again: no loop
    ['{%WIN%}', 'foobar'], // {%..%} first, then {$..}, as CoreDNS orders them
    ['no references', 'no references'],
  ];
  for (const [word, replaced] of table) assert.equal(substituteEnv(word, env), replaced, word);
});
