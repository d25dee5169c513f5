// Durations as Go's time.ParseDuration reads them (CoreDNS's `lameduck 5s`, `reload 30s`), and
// bare numbers as milliseconds where a setting was milliseconds before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { durationMs, formatDuration, parseDuration, type BareNumber } from './duration.ts';
import { validateWith } from './fields.ts';

test('parseDuration reads Go durations and, where allowed, bare milliseconds', () => {
  const cases: [string | number, BareNumber, number][] = [
    ['0', 'reject', 0],
    ['0', 'ms', 0],
    ['0s', 'reject', 0],
    ['500ms', 'reject', 500],
    ['5s', 'reject', 5000],
    ['1m', 'reject', 60_000],
    ['1h', 'reject', 3_600_000],
    ['1h30m', 'reject', 5_400_000],
    ['2m3s', 'reject', 123_000],
    ['1.5s', 'reject', 1500],
    ['.5s', 'reject', 500],
    ['1.s', 'reject', 1000],
    ['1500us', 'reject', 2], // 1.5 ms, rounded
    ['1500µs', 'reject', 2],
    ['2000000ns', 'reject', 2],
    ['1s500ms', 'reject', 1500],
    [' 5s ', 'reject', 5000],
    ['10000', 'ms', 10_000],
    [10_000, 'ms', 10_000],
    [0, 'reject', 0],
    [2.6, 'ms', 3],
  ];
  for (const [text, bare, ms] of cases)
    assert.equal(parseDuration(text, bare), ms, `${JSON.stringify(text)} (${bare})`);
});

test('parseDuration refuses what Go refuses, saying what it expected', () => {
  const cases: [string | number, BareNumber, RegExp][] = [
    ['5', 'reject', /expected a duration such as 500ms, 5s, 1m or 1h30m, got "5"/],
    [5, 'reject', /expected a duration such as 500ms, 5s, 1m or 1h30m, got 5/],
    ['', 'ms', /expected a duration .*\(a bare number is milliseconds\), got ""/],
    ['5x', 'ms', /got "5x"/],
    ['s', 'reject', /got "s"/],
    ['-5s', 'reject', /got "-5s"/],
    ['5 s', 'reject', /got "5 s"/],
    ['1d', 'reject', /got "1d"/],
    ['5s5', 'reject', /got "5s5"/],
    ['1e3ms', 'reject', /got "1e3ms"/],
    [-1, 'ms', /got -1/],
    [Number.NaN, 'ms', /got NaN/],
  ];
  for (const [text, bare, message] of cases)
    assert.throws(() => parseDuration(text, bare), message, `${JSON.stringify(text)}`);
});

test('formatDuration writes milliseconds as CoreDNS documents durations', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [86_400_000, '24h'],
  ];
  for (const [ms, text] of cases) {
    assert.equal(formatDuration(ms), text, `${ms}`);
    assert.equal(parseDuration(text, 'reject'), ms, `round trip of ${text}`);
  }
});

test('durationMs: a zod field in milliseconds whose errors name the key and the range', () => {
  const schema = z
    .object({
      idleTimeoutMs: durationMs({ min: 100, max: 600_000 }).default(10_000),
      lameduck: durationMs({ max: 3_600_000, bare: 'reject' }).default(0),
    })
    .strict();
  const ok: [unknown, { idleTimeoutMs: number; lameduck: number }][] = [
    [{}, { idleTimeoutMs: 10_000, lameduck: 0 }],
    [
      { idleTimeoutMs: 2500, lameduck: '5s' },
      { idleTimeoutMs: 2500, lameduck: 5000 },
    ],
    [
      { idleTimeoutMs: '30s', lameduck: 0 },
      { idleTimeoutMs: 30_000, lameduck: 0 },
    ],
    [{ idleTimeoutMs: '10m' }, { idleTimeoutMs: 600_000, lameduck: 0 }],
  ];
  for (const [input, output] of ok)
    assert.deepEqual(validateWith(schema, input, 'f.yaml'), output, JSON.stringify(input));
  const bad: [unknown, RegExp][] = [
    [
      { idleTimeoutMs: '50ms' },
      /^f\.yaml: idleTimeoutMs: expected a duration of 100ms\.\.10m, got "50ms"$/,
    ],
    [
      { idleTimeoutMs: 600_001 },
      /^f\.yaml: idleTimeoutMs: expected a duration of 100ms\.\.10m, got 600001ms$/,
    ],
    [
      { lameduck: 5 },
      /^f\.yaml: lameduck: expected a duration such as 500ms, 5s, 1m or 1h30m, got 5$/,
    ],
    [{ lameduck: '2h' }, /^f\.yaml: lameduck: expected a duration of 0s\.\.1h, got "2h"$/],
    [{ lameduck: true }, /^f\.yaml: lameduck: /],
  ];
  for (const [input, message] of bad)
    assert.throws(() => validateWith(schema, input, 'f.yaml'), { message }, JSON.stringify(input));
});
