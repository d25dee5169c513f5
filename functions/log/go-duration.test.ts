import { test } from 'node:test';
import assert from 'node:assert/strict';
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
