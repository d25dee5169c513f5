// `bufsize [SIZE]` as CoreDNS's plugin/bufsize setup reads it (setup_test.go): default 1232,
// 512..4096, one argument; blocks that write it must agree (one port, one answer cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directive } from '../corefile/corefile.ts';
import { bufsizeFromDirective, bufsizeOfBlocks } from './bufsize-corefile.ts';
import { udpLimit } from '../core/edns.ts';

const d = (line: string, at = 2): Directive => {
  const [name, ...args] = line.split(' ') as [string, ...string[]];
  return { name, args, file: 'Corefile', line: at };
};

const rows: [line: string, size: number | RegExp][] = [
  ['bufsize', 1232],
  ['bufsize 512', 512],
  ['bufsize 1500', 1500],
  ['bufsize 4096', 4096],
  ['bufsize 511', /Corefile:2 - .*bufsize: SIZE must be within 512 - 4096, got 511/],
  ['bufsize 4097', /SIZE must be within 512 - 4096, got 4097/],
  ['bufsize 1k', /SIZE must be within 512 - 4096, got 1k/],
  ['bufsize -1', /SIZE must be within/],
  ['bufsize 512 1024', /Corefile:2 - .*expected bufsize \[SIZE\]/],
];
for (const [line, size] of rows) {
  test(line, () => {
    if (typeof size === 'number') assert.equal(bufsizeFromDirective(d(line)), size);
    else assert.throws(() => bufsizeFromDirective(d(line)), size);
  });
}

test('blocks agree or the second is refused, naming the first', () => {
  assert.equal(bufsizeOfBlocks([]), undefined);
  assert.equal(bufsizeOfBlocks([d('bufsize', 2), d('bufsize 1232', 7)]), 1232);
  assert.throws(
    () => bufsizeOfBlocks([d('bufsize 512', 2), d('bufsize 1024', 7)]),
    /Corefile:7 - .*1024 differs from the 512 at Corefile:2/,
  );
});

// RFC 6891 §6.2.5: never below 512; no EDNS: 512 (RFC 1035 §4.2.1); else min(client, ours).
const limits: [client: number | undefined, ours: number | undefined, limit: number][] = [
  [undefined, 4096, 512],
  [4096, undefined, 1232],
  [4096, 512, 512],
  [4096, 4096, 4096],
  [1400, 4096, 1400],
  [100, 1232, 512],
];
for (const [client, ours, limit] of limits) {
  test(`udpLimit(${client}, ${ours}) = ${limit}`, () =>
    assert.equal(udpLimit(client, ours), limit));
}
