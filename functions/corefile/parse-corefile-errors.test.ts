import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorefileError } from './corefile.ts';
import { memoryCorefileIo } from './memory-io.ts';
import { parseCorefile } from './parse-corefile.ts';

/** The error as FILE:LINE REASON. */
function failure(text: string): string {
  try {
    parseCorefile(text, 'Corefile', { ...memoryCorefileIo({}), env: {} });
  } catch (e) {
    assert.ok(e instanceof CorefileError, `${text}: ${e}`);
    assert.equal(e.message, `${e.file}:${e.line} - Error during parsing: ${e.reason}`);
    return `${e.file}:${e.line} ${e.reason}`;
  }
  return 'parsed';
}

test('bad Corefiles -> the error, its file and line', () => {
  const table: [text: string, error: string][] = [
    // Blocks
    ['.:53 {\n  errors\n', "Corefile:2 expected '}' to close the block opened at line 1"],
    [
      '.:53 {\n  health {\n    lameduck 5s\n}',
      "Corefile:4 expected '}' to close the block opened at line 1",
    ],
    [
      '.:53 {\n  health {\n    lameduck 5s',
      "Corefile:3 expected '}' to close the block opened at line 2",
    ],
    ['}', "Corefile:1 unexpected '}': no block is open"],
    ['.:53 {\n}\n}', "Corefile:3 unexpected '}': no block is open"],
    ['.:53 {\n  errors\n} }', "Corefile:3 unexpected '}': no block is open"],
    ['.:53\n  errors\n}', "Corefile:3 unexpected '}': no block is open"],
    ['{\n}', "Corefile:1 unexpected '{': expected a server key such as .:53 before it"],
    [
      '.:53 {\n  forward . 1.1.1.1\n  {\n  }\n}',
      "Corefile:3 unexpected '{': a block opens at the end of its directive's line",
    ],
    [
      '.:53 {\n  forward . 1.1.1.1 {\n    tls {\n    }\n  }\n}',
      "Corefile:3 unexpected '{': a plugin's block cannot hold another block (one level, as CoreDNS)",
    ],
    [
      '.:53 {\n  hosts {\n    {\n',
      "Corefile:3 unexpected '{': a plugin's block cannot hold another block (one level, as CoreDNS)",
    ],
    [
      '.:53 {\n} example.org {\n}',
      "Corefile:2 unexpected 'example.org' after '}': start it on a new line",
    ],
    [
      '.:53 {\n  health {\n  } ready\n}',
      "Corefile:3 unexpected 'ready' after '}': start it on a new line",
    ],
    // Plugins
    [
      '.:53 {\n  webhook\n}',
      "Corefile:2 unknown directive 'webhook': no CoreDNS plugin has this name",
    ],
    [
      '.:53 {\n  dnssec {\n    key file k\n  }\n}',
      "Corefile:2 plugin 'dnssec' is not supported by edge-dns yet",
    ],
    ['.:53 {\n  whoami\n}', "Corefile:2 plugin 'whoami' is not supported by edge-dns yet"],
    [
      '.:53\nerrors\nwebhook',
      "Corefile:3 unknown directive 'webhook': no CoreDNS plugin has this name",
    ],
    [
      '.:53 {\n  (common) {\n  }\n}',
      'Corefile:2 snippet (common) must be declared at the top level, outside server blocks',
    ],
    [
      '.:53 {\n  errors\nexample.org {\n  log\n}\n',
      "Corefile:3 unknown directive 'example.org': a server block cannot stand inside another (is a '}' missing above?)",
    ],
    ['.:53 {\n  "" x\n}', "Corefile:2 unknown directive '': no CoreDNS plugin has this name"],
    // Keys
    [
      'example.org:abc {\n}',
      "Corefile:1 expected a port number after ':' in 'example.org:abc', not 'abc'",
    ],
    ['example.org:99999 {\n}', "Corefile:1 port 99999 in 'example.org:99999' is over 65535"],
    [
      'a.org,\n  b..org {\n}',
      "Corefile:2 expected a zone such as example.org, '.' or a CIDR in 'b..org', not 'b..org'",
    ],
    ['a.org, {\n}', "Corefile:1 expected another server key after ',', not '{'"],
    ['a.org,', "Corefile:1 expected another server key after ',', not the end of the file"],
    [
      'http://example.org {\n}',
      "Corefile:1 unknown scheme 'http://' in 'http://example.org': expected dns://, tls://, https://, https3://, grpc://, quic://",
    ],
    [
      '10.0.0.0/33 {\n}',
      "Corefile:1 expected a CIDR such as 10.0.0.0/24 or fd00::/64, not '10.0.0.0/33'",
    ],
    ['.:53 {\n}\n.:53 {\n}', 'Corefile:3 server key dns://.:53 is already defined at Corefile:1'],
    [
      'example.org EXAMPLE.org. {\n}',
      'Corefile:1 server key dns://example.org. is already defined at Corefile:1',
    ],
    ['{$UNSET} {\n}', 'Corefile:1 expected a server key such as .:53 (an unset variable is empty)'],
    // Snippets
    ['(common)\nerrors', "Corefile:1 expected '{' to open snippet (common)"],
    ['(common) {\n  errors\n', "Corefile:2 expected '}' to close the block opened at line 1"],
    [
      '(a) {\n}\n(a) {\n}',
      'Corefile:3 snippet (a) is declared twice: at Corefile:1 and at Corefile:3',
    ],
    ['(a) {\n} .:53 {\n}', "Corefile:2 unexpected '.:53' after '}': start it on a new line"],
    // Imports
    ['import', 'Corefile:1 import: expected a snippet name, a file or a glob'],
    [
      'import a b',
      "Corefile:1 import takes one argument (a snippet name, a file or a glob), not 2: CoreDNS's import passes no arguments to snippets",
    ],
    ['import nope', 'Corefile:1 import: no file or snippet named nope'],
    ['.:53 {\n  import nope\n}', 'Corefile:2 import: no file or snippet named nope'],
    ['import common\n(common) {\n}', 'Corefile:1 import: no file or snippet named common'],
    [
      '.:53 {\n  import common {\n',
      "Corefile:2 unexpected '{' after import: an import is one line",
    ],
    ['import {$UNSET}', 'Corefile:1 import: the path is empty'],
    [
      'import a/*/b',
      'Corefile:1 an import glob may hold wildcards in its last path element only: a/*/b',
    ],
    ['import *.a*', "Corefile:1 an import glob may hold one '*' and one '?': *.a*"],
    ['import [ab]', "Corefile:1 '[...]' is not supported in an import glob: [ab]"],
    [
      '(loop) {\n  import loop\n}\n.:53 {\n  import loop\n}',
      'Corefile:2 import cycle: (loop) -> (loop)',
    ],
    // Words
    ['.:53 {\n  log "abc\n}', 'Corefile:2 unterminated quoted string: expected a closing "'],
  ];
  for (const [text, error] of table) assert.equal(failure(text), error, text);
});
