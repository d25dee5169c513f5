import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directive } from '../corefile/corefile.ts';
import { templateFromDirective } from './template-corefile.ts';

/** `template ARGS... { NAME ARGS...; ... }` at line 1 of `Corefile`, its block on lines 2... */
function directive(args: string[], block: string[][] = []): Directive {
  const sub = block.map(([name = '', ...a], i): Directive => ({
    name,
    args: a,
    file: 'Corefile',
    line: i + 2,
  }));
  return { name: 'template', args, block: sub, file: 'Corefile', line: 1 };
}

test('setup_test.go: accepted configurations and what they set', () => {
  const o = templateFromDirective(
    directive(
      ['IN', 'A', 'example.', '10.0.0.0/24'],
      [
        ['match', '^ip-(?P<a>[0-9]*)[.]example[.]$', '(?i)^X[.]'],
        [
          'answer',
          '{{ .Name }} 60 IN A 10.0.0.{{ .Group.a }}',
          '{{ .Name }} 60 IN A {{ .Remote }}',
        ],
        ['additional', 'ns0.example. IN A 203.0.113.8'],
        ['authority', 'example. IN NS ns0.example.com.'],
        ['rcode', 'NXDOMAIN'],
        ['ederror', '21', 'Blocked according to RFC2606'],
        ['fallthrough', 'example.', '0.0.10.in-addr.arpa'],
        ['upstream'],
      ],
    ),
    [''],
  );
  assert.deepEqual(
    [o.class, o.type, o.zones, o.regexes.map((r) => r.pattern), o.rcode, o.ederror, o.fallthrough],
    [
      'IN',
      'A',
      ['example', '0.0.10.in-addr.arpa'],
      ['^ip-(?P<a>[0-9]*)[.]example[.]$', '(?i)^X[.]'],
      'NXDOMAIN',
      { code: 21, reason: 'Blocked according to RFC2606' },
      ['example', '0.0.10.in-addr.arpa'],
    ],
  );
  assert.deepEqual(
    [o.answer.length, o.additional[0]?.line, o.authority[0]?.source, o.readsClient],
    [2, 4, 'example. IN NS ns0.example.com.', true],
  );
  const plain = templateFromDirective(directive(['ANY', 'ANY']), ['example.org']);
  assert.deepEqual(
    [
      plain.zones,
      plain.regexes.map((r) => r.pattern),
      plain.rcode,
      plain.fallthrough,
      plain.readsClient,
    ],
    [['example.org'], ['.*'], 'NOERROR', undefined, false],
  );
  assert.deepEqual(
    templateFromDirective(directive(['IN', 'TXT'], [['fallthrough']]), ['']).fallthrough,
    [],
  );
});

test('setup_test.go: rejected configurations name their line', () => {
  const cases: [string[], string[][], string][] = [
    [[], [], 'Corefile:1 - Error during parsing: template: expected CLASS TYPE [ZONE...]'],
    [['IN'], [], 'Corefile:1 - Error during parsing: template: expected CLASS TYPE [ZONE...]'],
    [['ZZ', 'A'], [], 'Corefile:1 - Error during parsing: template: invalid query class ZZ'],
    [['IN', 'ZZ'], [], 'Corefile:1 - Error during parsing: template: invalid RR type ZZ'],
    [['in', 'a'], [], 'Corefile:1 - Error during parsing: template: invalid query class in'],
    [
      ['IN', 'A'],
      [['match']],
      'Corefile:2 - Error during parsing: match: expected match followed by at least one argument',
    ],
    [['IN', 'A'], [['match', '[']], 'Corefile:2 - Error during parsing: match: missing closing ]'],
    [
      ['IN', 'A'],
      [['answer']],
      'Corefile:2 - Error during parsing: answer: expected answer followed by at least one argument',
    ],
    [
      ['IN', 'A'],
      [['answer', '{{ notafunction }}']],
      'Corefile:2 - Error during parsing: answer: could not compile template: template: answer:1:3: function "notafunction" not defined',
    ],
    [
      ['IN', 'A'],
      [
        ['rcode', 'NOERROR'],
        ['additional', '{{ .Message }}'],
      ],
      'Corefile:3 - Error during parsing: additional: could not compile template: .Message is not available: edge-dns plugins see the question, not the message',
    ],
    [
      ['IN', 'A'],
      [['authority', '{{ .Nope }}']],
      "Corefile:2 - Error during parsing: authority: could not compile template: can't evaluate field Nope in type *template.templateData",
    ],
    [
      ['IN', 'A'],
      [['authority', '{{']],
      'Corefile:2 - Error during parsing: authority: could not compile template: template: authority:1:2: unclosed action',
    ],
    [['IN', 'A'], [['rcode']], 'Corefile:2 - Error during parsing: rcode: expected rcode CODE'],
    [
      ['IN', 'A'],
      [['rcode', 'NXDOMAINS']],
      'Corefile:2 - Error during parsing: rcode: unknown rcode NXDOMAINS',
    ],
    [
      ['IN', 'A'],
      [['rcode', 'YXDOMAIN']],
      'Corefile:2 - Error during parsing: rcode: rcode YXDOMAIN is not supported (NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED)',
    ],
    [
      ['IN', 'A'],
      [['ederror', 'x']],
      'Corefile:2 - Error during parsing: ederror: error parsing extended DNS error code x',
    ],
    [
      ['IN', 'A'],
      [['ederror']],
      'Corefile:2 - Error during parsing: ederror: expected ederror CODE [REASON]',
    ],
    [
      ['IN', 'A'],
      [['var', 'ip', "group('ip')"]],
      'Corefile:2 - Error during parsing: var: var (expr-lang expressions) is not supported',
    ],
    [
      ['IN', 'A'],
      [['expr', 'true']],
      'Corefile:2 - Error during parsing: expr: expr (expr-lang expressions) is not supported',
    ],
    [
      ['IN', 'A'],
      [['bogus']],
      'Corefile:2 - Error during parsing: bogus: unknown property "bogus"',
    ],
    [
      ['IN', 'A', 'no zone!'],
      [],
      'Corefile:1 - Error during parsing: template: "no zone!" is not a zone name',
    ],
  ];
  for (const [args, block, message] of cases)
    assert.throws(() => templateFromDirective(directive(args, block), ['']), { message }, message);
});
