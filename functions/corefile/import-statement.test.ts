import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorefileError, type CorefileIo } from './corefile.ts';
import { corefileOutline } from './corefile-outline.ts';
import { memoryCorefileIo } from './memory-io.ts';
import { parseCorefile, type ParseOptions } from './parse-corefile.ts';

type Files = Record<string, string>;
const options = (files: Files, more: Partial<ParseOptions> = {}): ParseOptions => ({
  ...memoryCorefileIo(files),
  env: {},
  ...more,
});

/** Parses files[root]; the outline with positions, or the error as FILE:LINE REASON. */
function outcome(root: string, files: Files, more: Partial<ParseOptions> = {}): string {
  try {
    return corefileOutline(parseCorefile(files[root]!, root, options(files, more)), true);
  } catch (e) {
    assert.ok(e instanceof CorefileError, String(e));
    return `${e.file}:${e.line} ${e.reason}`;
  }
}

test('imports: snippets, files relative to the importing file, globs', () => {
  const table: [what: string, root: string, files: Files, outline: string][] = [
    [
      'relative to the importing file, at every level',
      '/etc/coredns/Corefile',
      {
        '/etc/coredns/Corefile': '.:53 {\n  import custom/*.override\n}\nimport custom/*.server',
        '/etc/coredns/custom/log.override': 'log',
        '/etc/coredns/custom/corp.server': 'corp.example {\n  import ../shared/forward.conf\n}',
        '/etc/coredns/shared/forward.conf': '\n\nforward . 10.0.0.53',
      },
      `dns://.:53
  log @/etc/coredns/custom/log.override:1
dns://corp.example.
  forward . 10.0.0.53 @/etc/coredns/shared/forward.conf:3`,
    ],
    [
      'a root without a directory',
      'Corefile',
      {
        Corefile: 'import zones/b.server',
        'zones/b.server': 'b.example {\n  import c.conf\n}',
        'zones/c.conf': 'errors',
      },
      'dns://b.example.\n  errors @zones/c.conf:1',
    ],
    [
      'a glob matching nothing imports nothing',
      'Corefile',
      { Corefile: '.:53 {\n  import custom/*.override\n  errors\n}\nimport custom/*.server' },
      'dns://.:53\n  errors @Corefile:3',
    ],
    [
      "a glob's files in name order, dot files included (Go's '*')",
      'Corefile',
      { Corefile: '. {\n  import d/*\n}', 'd/b': 'log', 'd/a': 'errors', 'd/.c': 'cache' },
      'dns://.\n  cache @d/.c:1\n  errors @d/a:1\n  log @d/b:1',
    ],
    [
      "a glob's files may import one another: not a cycle",
      'Corefile',
      {
        Corefile: '. {\n  import d/*.conf\n}',
        'd/a.conf': 'import b.conf\nerrors',
        'd/b.conf': 'log',
      },
      'dns://.\n  log @d/b.conf:1\n  errors @d/a.conf:2\n  log @d/b.conf:1',
    ],
    [
      'one snippet twice, and imported inside a plugin block',
      'Corefile',
      {
        Corefile:
          '(opts) {\n  ttl 60\n  fallthrough\n}\n(base) {\n  errors\n}\na.org {\n  import base\n  hosts {\n    import opts\n  }\n}\nb.org {\n  import base\n}',
      },
      `dns://a.org.
  errors @Corefile:6
  hosts @Corefile:10
    ttl 60 @Corefile:2
    fallthrough @Corefile:3
dns://b.org.
  errors @Corefile:6`,
    ],
    [
      'a snippet declared in an imported file, used after the import',
      'Corefile',
      {
        Corefile: 'import snippets.conf\n. {\n  import common\n}',
        'snippets.conf': '(common) {\n  log\n}',
      },
      'dns://.\n  log @snippets.conf:2',
    ],
    [
      "a snippet's file import is relative to the snippet's file",
      'Corefile',
      {
        Corefile: 'import lib/snippets.conf\n. {\n  import common\n}',
        'lib/snippets.conf': '(common) {\n  import more.conf\n}',
        'lib/more.conf': 'cache 30',
      },
      'dns://.\n  cache 30 @lib/more.conf:1',
    ],
    [
      "the import's path from the environment",
      'Corefile',
      { Corefile: 'import {$DIR}/*.server', 'conf.d/a.server': 'a.org {\n}' },
      'dns://a.org.',
    ],
    [
      'tokens splice in place, as CoreDNS: a block may open in one file and close in another',
      'Corefile',
      { Corefile: 'import head.conf\n  errors\n}', 'head.conf': '.:53 {\n  log' },
      'dns://.:53\n  log @head.conf:2\n  errors @Corefile:2',
    ],
    // Failures
    [
      'a missing file',
      '/etc/coredns/Corefile',
      { '/etc/coredns/Corefile': 'import extra.conf' },
      '/etc/coredns/Corefile:1 import: no file or snippet named extra.conf (no file /etc/coredns/extra.conf)',
    ],
    [
      'a cycle of files',
      'Corefile',
      {
        Corefile: '. {\n  import a.conf\n}',
        'a.conf': 'log\nimport b.conf',
        'b.conf': 'import a.conf',
      },
      'b.conf:1 import cycle: a.conf -> b.conf -> a.conf',
    ],
    [
      'a file importing the Corefile',
      'Corefile',
      { Corefile: 'import a.conf', 'a.conf': 'import Corefile' },
      'a.conf:1 import cycle: Corefile -> a.conf -> Corefile',
    ],
    [
      'a glob matching its own file',
      'Corefile',
      { Corefile: 'import d/*.server', 'd/a.server': 'import *.server' },
      'd/a.server:1 import cycle: d/a.server -> d/a.server',
    ],
    [
      'a cycle of snippets',
      'Corefile',
      { Corefile: '(a) {\n  import b\n}\n(b) {\n  import a\n}\n. {\n  import a\n}' },
      'Corefile:5 import cycle: (a) -> (b) -> (a)',
    ],
    [
      'a snippet declared twice, in two files',
      'Corefile',
      { Corefile: '(common) {\n}\nimport x.conf', 'x.conf': '\n(common) {\n}' },
      'x.conf:2 snippet (common) is declared twice: at Corefile:1 and at x.conf:2',
    ],
    [
      "an imported file's unterminated quote",
      'Corefile',
      { Corefile: '. {\n  import x.conf\n}', 'x.conf': 'log\nlog "abc' },
      'x.conf:2 unterminated quoted string: expected a closing "',
    ],
    [
      "an imported file's unknown plugin",
      'Corefile',
      { Corefile: '. {\n  import x.conf\n}', 'x.conf': '\nwebhook' },
      "x.conf:2 unknown directive 'webhook': no CoreDNS plugin has this name",
    ],
    [
      'a block opened in an imported file and left open',
      'Corefile',
      { Corefile: 'import head.conf\n  errors', 'head.conf': '.:53 {' },
      "Corefile:2 expected '}' to close the block opened at head.conf:1",
    ],
  ];
  for (const [what, root, files, outline] of table)
    assert.equal(outcome(root, files, { env: { DIR: 'conf.d' } }), outline, what);
});

test('reserved snippets: the root Corefile declares them, imported files only import them', () => {
  const files = {
    Corefile: '(cluster) {\n  kubernetes cluster.local\n}\nimport custom/*.server',
    'custom/ok.server': 'a.org {\n  import cluster\n}',
  };
  const reserved = ['cluster', 'forward'];
  assert.equal(
    outcome('Corefile', files, { reserved }),
    'dns://a.org.\n  kubernetes cluster.local @Corefile:2',
  );
  const redeclared = { ...files, 'custom/x.server': '# mine\n(cluster) {\n}' };
  assert.equal(
    outcome('Corefile', redeclared, { reserved }),
    'custom/x.server:2 snippet (cluster) is reserved by Corefile: custom/x.server may import it, not declare it',
  );
  // A reserved name the root leaves undeclared is still not the imported files' to declare.
  const unused = { ...files, 'custom/y.server': '(forward) {\n}' };
  assert.match(
    outcome('Corefile', unused, { reserved }),
    /^custom\/y.server:1 snippet \(forward\) is reserved/,
  );
  // Without `reserved`, an imported file declares what it likes.
  assert.equal(outcome('Corefile', unused), 'dns://a.org.\n  kubernetes cluster.local @Corefile:2');
});

test('every file read is listed once, root first, for a reload to watch', () => {
  const files = {
    Corefile: 'import a.conf\nimport a.conf\n. {\n  import d/*\n}',
    'a.conf': '',
    'd/x': 'log',
    'd/y': 'errors',
  };
  assert.deepEqual(parseCorefile(files.Corefile, 'Corefile', options(files)).files, [
    'Corefile',
    'a.conf',
    'd/x',
    'd/y',
  ]);
});

test('io failures are CorefileErrors naming the import', () => {
  const failing: CorefileIo = {
    read: (path) => {
      if (path === 'Corefile') return '. {\n  import dir\n}';
      throw new Error('EISDIR: illegal operation on a directory');
    },
    glob: () => {
      throw new Error('EACCES: permission denied');
    },
  };
  const run = (text: string) => {
    try {
      parseCorefile(text, 'Corefile', { ...failing, env: {} });
      return 'parsed';
    } catch (e) {
      assert.ok(e instanceof CorefileError);
      return `${e.file}:${e.line} ${e.reason}`;
    }
  };
  assert.equal(
    run('. {\n  import dir\n}'),
    'Corefile:2 import: cannot read dir: EISDIR: illegal operation on a directory',
  );
  assert.equal(
    run('\nimport d/*'),
    'Corefile:2 import: cannot list d/*: EACCES: permission denied',
  );
});

test('snippets importing each other many times over stop at a cap, quickly', () => {
  const levels = ['(s0) {\n  log\n}'];
  for (let i = 1; i <= 20; i++) levels.push(`(s${i}) {\n  import s${i - 1}\n  import s${i - 1}\n}`);
  const text = `${levels.join('\n')}\n. {\n  import s20\n}`;
  assert.equal(
    outcome('Corefile', { Corefile: text }).replace(/^Corefile:\d+ /, ''),
    'more than 10000 imports expanded',
  );
});
