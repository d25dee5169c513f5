import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute } from './go-template-eval.ts';
import { FUNCTION_NAMES, goFunctions } from './go-template-functions.ts';
import { parseTemplate } from './go-template-parser.ts';
import { GoStruct, type GoValue } from './go-value.ts';

const data = new GoStruct(
  '*template.templateData',
  {
    Name: 'ip-10-95-12-8.example.',
    Zone: 'example.',
    Type: 'A',
    Class: 'IN',
    Remote: '10.240.0.1',
    Match: ['ip-10-95-12-8.example.', '', '95'],
    Group: new Map<string, GoValue>([
      ['0', 'ip-10-95-12-8.example.'],
      ['b', '95'],
      ['hex', '5f'],
    ]),
    Var: new Map(),
  },
  { Meta: (name) => (name === 'foo' ? 'myfoo' : '') },
);

const run = (text: string, env: Record<string, string> = {}) =>
  execute(parseTemplate('answer', text, FUNCTION_NAMES), data, goFunctions(env));

test('fields, maps, index, methods, pipelines, constants', () => {
  const cases: [string, string][] = [
    ['{{ .Name }} 60 IN A 10.{{ .Group.b }}.12.8', 'ip-10-95-12-8.example. 60 IN A 10.95.12.8'],
    ['{{ index .Match 2 }}|{{ index .Group "b" }}|{{ index .Group "none" }}', '95|95|'],
    ['{{ .Group.none }}', '<no value>'],
    ['{{ .Meta "foo" }}-{{ .Meta "bar" }}', 'myfoo-'],
    ['{{ .Name | printf "%s" }}', 'ip-10-95-12-8.example.'],
    ['{{ printf "%s-%d" .Type 7 }}', 'A-7'],
    [
      '{{ "a\\tb" }} {{ `raw\\n` }} {{ \'x\' }} {{ 0x1F }} {{ 1.5 }} {{ -3 }}',
      'a\tb raw\\n 120 31 1.5 -3',
    ],
    [
      '{{ true }} {{ nil | print }} {{ $.Zone }} {{ .Match }}',
      'true <nil> example. [ip-10-95-12-8.example.  95]',
    ],
    ['{{ len .Name }} {{ len .Match }}', '22 3'],
    ['{{ print "a" 1 2 "b" }}', 'a1 2b'],
    ['{{ println "a" 1 }}', 'a 1\n'],
    ['{{ parseInt .Group.hex 16 8 }}.{{ parseInt "0x10" 0 64 }}', '95.16'],
    ['{{ env "REGION" }}/{{ env "UNSET" }}', 'eu/'],
    ['{{ (index .Match 2) }}', '95'],
  ];
  for (const [text, want] of cases) assert.equal(run(text, { REGION: 'eu' }), want, text);
});

test('if / else if / else, comparisons, and/or/not, trim markers, comments', () => {
  const cases: [string, string][] = [
    ['{{ if eq .Type "A" }}a{{ else }}other{{ end }}', 'a'],
    ['{{ if eq .Type "AAAA" }}6{{ else if eq .Type "A" "MX" }}4{{ else }}?{{ end }}', '4'],
    ['{{ if ne .Class "IN" }}x{{ end }}', ''],
    ['{{ if and (eq .Type "A") (lt 1 2) (ge 2 2) (gt "b" "a") (le 1.5 2.5) }}ok{{ end }}', 'ok'],
    ['{{ or "" .Zone }} {{ and .Zone "" }} {{ not .Group.none }}', 'example.  true'],
    ['{{ if .Group.none }}x{{ else }}none{{ end }}', 'none'],
    ['{{ and false (index .Match 9) }}', 'false'], // stops before the failing argument
    ['a  {{- " b " -}}  c', 'a b c'],
    ['{{- /* a comment */ -}}  x', 'x'],
    ['x {{/* kept space */}} y', 'x  y'],
    ['{{ if eq .Type "A" -}}\n  {{ .Name }}\n{{- end }}', 'ip-10-95-12-8.example.'],
  ];
  for (const [text, want] of cases) assert.equal(run(text), want, text);
});

test('execution errors read as Go writes them', () => {
  const cases: [string, string][] = [
    [
      '{{ .Name }} 60 IN TXT "{{ index .Match 5 }}"',
      'template: answer:1:26: executing "answer" at <index .Match 5>: error calling index: index out of range: 5',
    ],
    [
      '{{ .Name }} 60 IN TXT "{{ parseInt "gg" 16 8 }}"',
      'template: answer:1:26: executing "answer" at <parseInt "gg" 16 8>: error calling parseInt: strconv.ParseUint: parsing "gg": invalid syntax',
    ],
    [
      '{{ parseInt "300" 10 8 }}',
      'template: answer:1:3: executing "answer" at <parseInt "300" 10 8>: error calling parseInt: strconv.ParseUint: parsing "300": value out of range',
    ],
    [
      '{{ eq .Type 1 }}',
      'template: answer:1:3: executing "answer" at <eq .Type 1>: error calling eq: incompatible types for comparison',
    ],
    [
      '{{ .Group.none.x }}',
      'template: answer:1:3: executing "answer" at <.Group.none.x>: nil data; no entry for key "x"',
    ],
    [
      '{{ .Name.x }}',
      'template: answer:1:3: executing "answer" at <.Name.x>: can\'t evaluate field x in type string',
    ],
    [
      '{{ .Name "x" }}',
      'template: answer:1:3: executing "answer" at <.Name "x">: Name has arguments but cannot be invoked as function',
    ],
    [
      '\n{{ "a" "b" }}',
      'template: answer:2:3: executing "answer" at <"a" "b">: can\'t give argument to non-function "a"',
    ],
  ];
  for (const [text, message] of cases) assert.throws(() => run(text), { message }, text);
});

test('syntax errors name the place and stop at setup', () => {
  const cases: [string, string][] = [
    ['{{ .Name', 'template: answer:1:2: unclosed action'],
    ['{{ foo }}', 'template: answer:1:3: function "foo" not defined'],
    ['{{ if true }}x', 'template: answer:1:14: unexpected EOF'],
    ['{{ end }}', 'template: answer:1:3: unexpected {{end}}'],
    [
      '{{ range .Match }}{{ end }}',
      'template: answer:1:3: {{range}} is not supported in CoreDNS templates here',
    ],
    [
      '{{ $x := 1 }}',
      'template: answer:1:3: template variables are not supported in CoreDNS templates here',
    ],
    ['{{ }}', 'template: answer:1:3: missing value for command'],
    ['{{ "abc }}', 'template: answer:1:3: unterminated quoted string'],
    ['{{ 3x }}', 'template: answer:1:3: bad number syntax: "3x"'],
    ['{{ ( .Name }}', 'template: answer:1:11: unclosed left paren'],
    ['{{/* x */ }}', 'template: answer:1:0: comment ends before closing delimiter'],
  ];
  for (const [text, message] of cases)
    assert.throws(() => parseTemplate('answer', text, FUNCTION_NAMES), { message }, text);
});
