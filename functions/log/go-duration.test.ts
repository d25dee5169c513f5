import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { durationSeconds, goDuration } from './go-duration.ts';

test('{duration}: seconds as strconv.FormatFloat(s, f, -1, 64), never an exponent', () => {
  const table: [ms: number, text: string][] = [
    [0, '0s'],
    [0.000001, '0.000000001s'],
    [0.0005, '0.0000005s'],
    [0.123456, '0.000123456s'],
    [0.1234564, '0.000123456s'],
    [1, '0.001s'],
    [20.390403, '0.020390403s'],
    [1500, '1.5s'],
    [5000, '5s'],
    [-1, '0s'],
  ];
  for (const [ms, text] of table) assert.equal(durationSeconds(ms), text, `${ms} ms`);
});

test('{duration} under a second: the digits of shortest-digits formatting (JS String, Go FormatFloat)', () => {
  // String(seconds) is the shortest decimal that reads back as the same double, as Go's -1
  // precision; an exponent (1e-7) is written out in full.
  const reference = (ns: number) => {
    const [digits, exp] = String(ns / 1e9).split('e-');
    if (exp === undefined) return `${digits}s`;
    return `0.${'0'.repeat(Number(exp) - 1)}${digits!.replace('.', '')}s`;
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e9 - 1 }), (ns) => {
      assert.equal(durationSeconds(ns / 1e6), reference(ns), `${ns} ns`);
    }),
    { numRuns: 20_000 },
  );
});

test("time.Duration's String(), as the consolidation line prints the interval", () => {
  const table: [ms: number, text: string][] = [
    [0, '0s'],
    [0.0001, '100ns'],
    [0.25, '250µs'],
    [1.5, '1.5ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [5_430_500, '1h30m30.5s'],
  ];
  for (const [ms, text] of table) assert.equal(goDuration(ms), text, `${ms} ms`);
});
