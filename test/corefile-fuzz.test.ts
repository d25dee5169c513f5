// Bad input to the Corefile parser (functions/corefile/): arbitrary text, text made of Corefile
// words (braces, quotes, comments, imports, snippets, keys), and good Corefiles mutated, with
// imported files as random as the Corefile. Every outcome is a parsed Corefile whose directives
// name a file read and a line, or a CorefileError naming file, line and reason; never another
// exception, never a hang (each test has a deadline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CorefileError, type Corefile, type Directive } from '../functions/corefile/corefile.ts';
import { memoryCorefileIo } from '../functions/corefile/memory-io.ts';
import { parseCorefile } from '../functions/corefile/parse-corefile.ts';

const RUNS = { numRuns: 400 };
const DEADLINE = { timeout: 120_000 };

const GOOD = [
  '(common) {\n  errors\n  log\n  health {\n    lameduck 5s\n  }\n  ready\n  prometheus :9153\n  cache 30\n  reload\n  loadbalance\n}\ncluster.local:53 {\n  import common\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    pods insecure\n    fallthrough in-addr.arpa ip6.arpa\n  }\n}\n.:53 {\n  import common\n  hosts /etc/coredns/NodeHosts {\n    ttl 60\n    reload 15s\n    fallthrough\n  }\n  forward . /etc/resolv.conf\n}\nimport custom/*.server\n',
  '.:53 {\n  template IN A example.org {\n    answer "{{ .Name }} 60 IN A 127.0.0.1"\n  }\n  forward . {$UPSTREAM} {\n    policy sequential\n  }\n}\n',
  'a.org, b.org,\n  10.0.0.0/22:1053 {\n  import a.conf\n  rewrite name exact a.org b.org # comment\n}\n',
];

/** Words that steer the parser into its corners. */
const WORDS = [
  '{',
  '}',
  '\n',
  ' ',
  '\t',
  '"',
  '\\"',
  '\\',
  '#',
  '\r',
  ',',
  'import',
  'a.conf',
  'b.conf',
  'd/*.server',
  '*',
  '(s)',
  's',
  '.:53',
  '.',
  'example.org',
  '10.0.0.0/24',
  'tls://',
  ':',
  'log',
  'forward',
  'health',
  'cache',
  'webhook',
  'acl',
  '{$X}',
  '{%Y%}',
  '{$',
  '%}',
  '""',
  'x',
];

const text = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 120 }).map((w) => w.join('')),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 120 }).map((w) => w.join(' ')),
);

/** A good Corefile with random cuts, insertions and repeats. */
const mutated = fc
  .tuple(
    fc.constantFrom(...GOOD),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.constantFrom('cut', 'insert', 'repeat'),
        fc.constantFrom(...WORDS),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([good, edits]) =>
    edits.reduce((s, [at, length, kind, word]) => {
      const i = at % (s.length + 1);
      if (kind === 'cut') return s.slice(0, i) + s.slice(i + length);
      if (kind === 'insert') return s.slice(0, i) + word + s.slice(i);
      return s.slice(0, i) + s.slice(i, i + length).repeat(3) + s.slice(i);
    }, good),
  );

const files = fc.record({
  'a.conf': fc.oneof(text, mutated),
  'b.conf': fc.oneof(text, mutated),
  'd/x.server': fc.oneof(text, mutated),
  'custom/a.server': fc.oneof(text, mutated),
});

function check(corefile: string, imported: Record<string, string>): void {
  let parsed: Corefile;
  try {
    parsed = parseCorefile(corefile, 'Corefile', {
      ...memoryCorefileIo(imported),
      env: { X: 'x.org', Y: '{$X}' },
      reserved: ['s'],
    });
  } catch (e) {
    assert.ok(e instanceof CorefileError, `not a CorefileError: ${(e as Error)?.stack ?? e}`);
    assert.ok(e.file === 'Corefile' || e.file in imported, `file ${e.file}`);
    assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}`);
    assert.ok(e.reason.length > 0);
    return;
  }
  const placed = (d: Directive, depth: number) => {
    assert.ok(parsed.files.includes(d.file), `${d.name} from ${d.file}`);
    assert.ok(Number.isInteger(d.line) && d.line >= 1);
    if (depth > 0) assert.equal(d.block, undefined, 'one level of blocks');
    for (const sub of d.block ?? []) placed(sub, depth + 1);
  };
  for (const server of parsed.servers) {
    assert.ok(server.keys.length > 0);
    for (const d of server.directives) placed(d, 0);
  }
}

test('arbitrary text: a Corefile or a CorefileError', DEADLINE, () => {
  fc.assert(fc.property(text, files, check), RUNS);
});

test('mutated good Corefiles: a Corefile or a CorefileError', DEADLINE, () => {
  fc.assert(fc.property(mutated, files, check), RUNS);
});

test('the good Corefiles parse', () => {
  const imported = { 'a.conf': 'log', 'custom/a.server': 'x.org {\n}' };
  for (const good of GOOD)
    assert.doesNotThrow(() =>
      parseCorefile(good, 'Corefile', {
        ...memoryCorefileIo(imported),
        env: { UPSTREAM: '10.0.0.10' },
      }),
    );
});
