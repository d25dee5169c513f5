import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorefileError } from './corefile.ts';
import { corefileOutline } from './corefile-outline.ts';
import { nodeCorefileIo } from './node-io.ts';
import { parseCorefile } from './parse-corefile.ts';

test('the node io: files relative to the Corefile, globs over a directory, errors named', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'corefile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'custom'));
  mkdirSync(join(dir, 'custom', '..data')); // as a ConfigMap volume holds
  writeFileSync(join(dir, 'custom', 'b.server'), 'b.org {\n  import ../common.conf\n}\n');
  writeFileSync(join(dir, 'custom', 'a.server'), 'a.org {\n  log\n}\n');
  writeFileSync(join(dir, 'common.conf'), 'errors\n');
  const corefile = `${dir}/Corefile`;
  const text = '. {\n  cache\n}\nimport custom/*.server\nimport none/*.server\n';
  writeFileSync(corefile, text);

  const io = { ...nodeCorefileIo, env: {} };
  const parsed = parseCorefile(nodeCorefileIo.read(corefile)!, corefile, io);
  assert.equal(
    corefileOutline(parsed, true),
    `dns://.\n  cache @${corefile}:2\ndns://a.org.\n  log @${dir}/custom/a.server:2\ndns://b.org.\n  errors @${dir}/common.conf:1`,
  );
  assert.deepEqual(parsed.files, [
    corefile,
    `${dir}/custom/a.server`,
    `${dir}/custom/b.server`,
    `${dir}/common.conf`,
  ]);
  assert.equal(nodeCorefileIo.read(`${dir}/missing`), undefined);

  const failure = (source: string) => {
    try {
      parseCorefile(source, corefile, io);
      return 'parsed';
    } catch (e) {
      assert.ok(e instanceof CorefileError);
      return `${e.line} ${e.reason}`;
    }
  };
  assert.equal(
    failure('import missing.conf'),
    `1 import: no file or snippet named missing.conf (no file ${dir}/missing.conf)`,
  );
  assert.match(
    failure('import custom/..data'),
    /^1 import: cannot read .*\/custom\/\.\.data: EISDIR/,
  );
  assert.match(failure('import custom/*'), /^1 import: cannot read .*\/custom\/\.\.data: EISDIR/); // Go's '*' matches dot files too
});
