import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorefileError } from './corefile.ts';
import { lex, lexFile } from './lexer.ts';

/** Each token as LINE, '^' when it starts its line, then the word (JSON when quoted). */
const shown = (text: string) =>
  lex(text, 'Corefile')
    .map((t) => `${t.line}${t.startsLine ? '^' : ''}${t.quoted ? JSON.stringify(t.text) : t.text}`)
    .join(' ');

test("words as CoreDNS's caddyfile lexer cuts them", () => {
  const table: [text: string, tokens: string][] = [
    ['', ''],
    ['a b\nc', '1^a 1b 2^c'],
    ['  a\t\tb  \n\n\n  c  ', '1^a 1b 4^c'],
    ['a # b c\nd', '1^a 2^d'],
    ['# only a comment', ''],
    ['foo#bar baz\nq', '1^foo 2^q'], // '#' starts a comment inside a word too
    ['a "b c" d', '1^a 1"b c" 1d'],
    ['x "say \\"hi\\""', '1^x 1"say \\"hi\\""'],
    ['"a\\b"', '1^"a\\\\b"'], // only \" is an escape: other backslashes stay
    ['"a\\\\"', '1^"a\\\\\\\\"'],
    ['"a\\\\" b', '1^"a\\\\\\\\" 1b'], // \\" : the quote still closes
    ['a "b\nc" d\ne', '1^a 1"b\\nc" 2d 3^e'], // d is on the line the quoted word ends on
    ['"a#b"', '1^"a#b"'],
    ['a {\n  b\n}', '1^a 1{ 2^b 3^}'],
    ['a {b} {$X}', '1^a 1{b} 1{$X}'],
    ['a\r\nb', '1^a 2^b'],
    ['a\rb', '1^ab'], // CoreDNS drops '\r' without ending the word
    ['\ufeffa', '1^a'],
    ['a\u00a0b\u3000c', '1^a 1b 1c'],
    ['a \\\nb', '1^a 1\\ 2^b'], // no line continuation: a trailing '\' is a word
    ['"a"b', '1^"a" 1b'],
    ['a"b c"', '1^a"b 1c"'],
    ['a ""', '1^a 1""'],
  ];
  for (const [text, tokens] of table) assert.equal(shown(text), tokens, JSON.stringify(text));
});

test('an unterminated quoted string names the line it opens at', () => {
  const table: [text: string, line: number][] = [
    ['a "b', 1],
    ['x\n"abc\n\n', 2],
    ['x "ab\\"', 1],
    ['x "ab\\', 1],
  ];
  for (const [text, line] of table) {
    assert.throws(
      () => lex(text, 'Corefile'),
      (e: unknown) =>
        e instanceof CorefileError &&
        e.file === 'Corefile' &&
        e.line === line &&
        e.reason === 'unterminated quoted string: expected a closing "',
      JSON.stringify(text),
    );
  }
});

test('lexFile substitutes environment references in every word, quoted or not', () => {
  const tokens = lexFile('{$ZONE}:{%PORT%} {\n  log "at {$ZONE}"\n}', 'Corefile', {
    ZONE: 'example.org',
    PORT: '1053',
  });
  assert.deepEqual(
    tokens.map((t) => t.text),
    ['example.org:1053', '{', 'log', 'at example.org', '}'],
  );
});
