import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPacked, loaderHeapMb } from './packed-loader.ts';

test('the loader heap cap is 16x the snapshots, at least 256 MB, and ignores missing files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-dns-loader-'));
  const small = join(dir, 'small.json');
  const large = join(dir, 'large.json');
  writeFileSync(small, '{}');
  writeFileSync(large, '');
  truncateSync(large, 40 * 2 ** 20); // sparse: a size without the disk
  const cases: [string[], number][] = [
    [[], 256],
    [[small], 256],
    [[join(dir, 'missing.json')], 256],
    [[large], 640],
    [[large, small, large], 1281],
  ];
  for (const [files, mb] of cases) assert.equal(loaderHeapMb(files), mb, files.join(','));
});

test('a loader that outgrows its heap fails with a message naming the cap, not a crash', async () => {
  const script = new URL(
    `data:text/javascript,${encodeURIComponent('const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length));')}`,
  );
  await assert.rejects(
    loadPacked(script, {}, 16),
    /loading the records needs more than the loader's 16 MB heap/,
  );
});

test("a loader's error message reaches the caller", async () => {
  const script = new URL(
    `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ error: 'snapshot x.json: items[3].kind: expected a string' });")}`,
  );
  await assert.rejects(
    loadPacked(script, {}, 64),
    /snapshot x\.json: items\[3\]\.kind: expected a string/,
  );
});
