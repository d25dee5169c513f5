import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { toPresentation } from '../../test/support/presentation.ts';
import type { Directive } from '../corefile/corefile.ts';
import type { Next, PluginQuery } from '../core/plugin.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import { templateFromDirective } from './template-corefile.ts';
import {
  templatePlugin,
  type TemplateFailure,
  type TemplateMatch,
  type TemplatePluginOptions,
} from './template-plugin.ts';

/** Templates from `[CLASS TYPE ZONES..., [[option, args...], ...]]`, in a block for `blockZones`. */
function templates(list: [string[], string[][]][], blockZones = ['']) {
  return list.map(([args, block], n) =>
    templateFromDirective(
      {
        name: 'template',
        args,
        block: block.map(([name = '', ...a], i): Directive => ({
          name,
          args: a,
          file: 'Corefile',
          line: 10 * n + i + 2,
        })),
        file: 'Corefile',
        line: 10 * n + 1,
      },
      blockZones,
    ),
  );
}

const NEXT = emptySections('NOTIMP');

/** `next`, SERVFAIL, or `RCODE` then the sections' records in presentation format. */
async function ask(
  plugin: ReturnType<typeof templatePlugin>,
  name: string,
  type: string,
  extra: Partial<PluginQuery> = {},
): Promise<string[] | string> {
  const q: PluginQuery = {
    name,
    type,
    class: 'IN',
    flags: { cd: false, do: false },
    transport: 'udp',
    zone: '',
    remote: { address: '10.240.0.1', port: 40212 },
    ...extra,
  };
  const s = await plugin(q, async () => NEXT);
  if (s === NEXT) return 'next';
  if (s.rcode === 'SERVFAIL') return 'SERVFAIL';
  assert.equal(s.aa, true, `${name}: authoritative`);
  encodes(s);
  const section = (label: string, rrs: Sections['answers']) =>
    rrs.map((rr) => `${label} ${toPresentation(rr)}`);
  return [
    s.rcode,
    ...section('an', s.answers),
    ...section('ns', s.authorities),
    ...section('ar', s.additionals),
  ];
}

/** The records must survive dns-packet's encoder, as the resolver will write them. */
function encodes(s: Sections): void {
  dnsPacket.encode({
    type: 'response',
    answers: s.answers,
    authorities: s.authorities,
    additionals: s.additionals,
  });
}

const IP_A = '(^|[.])ip-10-(?P<b>[0-9]*)-(?P<c>[0-9]*)-(?P<d>[0-9]*)[.]example[.]$';
const A_FROM_GROUPS = '{{ .Name }} 60 IN A 10.{{ .Group.b }}.{{ .Group.c }}.{{ .Group.d }}';

test('template_test.go TestHandler: one template each, zone ".", fallthrough', async () => {
  const fall = ['fallthrough'];
  const cases: [string, [string[], string[][]], string, string, string[] | string][] = [
    [
      'RcodeServFail',
      [
        ['ANY', 'ANY'],
        [['rcode', 'SERVFAIL'], fall],
      ],
      'test.invalid',
      'A',
      'SERVFAIL',
    ],
    [
      'ExampleDomainNameMismatch',
      [
        ['ANY', 'ANY'],
        [['match', IP_A], ['answer', A_FROM_GROUPS], fall],
      ],
      'test.invalid',
      'A',
      'next',
    ],
    [
      'ExampleDomainMatch',
      [
        ['ANY', 'ANY'],
        [['match', IP_A], ['answer', A_FROM_GROUPS], fall],
      ],
      'ip-10-95-12-8.example',
      'A',
      ['NOERROR', 'an ip-10-95-12-8.example. 60 IN A 10.95.12.8'],
    ],
    [
      'ExampleDomainMatchHexIp',
      [
        ['ANY', 'ANY'],
        [
          ['match', '^ip0a(?P<b>[a-f0-9]{2})(?P<c>[a-f0-9]{2})(?P<d>[a-f0-9]{2})[.]example[.]$'],
          [
            'answer',
            '{{ .Name }} 60 IN A 10.{{ parseInt .Group.b 16 8 }}.{{ parseInt .Group.c 16 8 }}.{{ parseInt .Group.d 16 8 }}',
          ],
          fall,
        ],
      ],
      'ip0a5f0c09.example',
      'A',
      ['NOERROR', 'an ip0a5f0c09.example. 60 IN A 10.95.12.9'],
    ],
    [
      'ExampleIPMatch (.Remote)',
      [
        ['IN', 'A'],
        [['match', '.*'], ['answer', '{{ .Name }} 60 IN A {{ .Remote }}'], fall],
      ],
      'test.example',
      'A',
      ['NOERROR', 'an test.example. 60 IN A 10.240.0.1'],
    ],
    [
      'ExampleDomainMXMatch',
      [
        ['ANY', 'ANY'],
        [
          ['match', IP_A],
          ['answer', '{{ .Name }} 60 MX 10 {{ .Name }}'],
          ['additional', A_FROM_GROUPS],
          fall,
        ],
      ],
      'ip-10-95-12-8.example',
      'MX',
      [
        'NOERROR',
        'an ip-10-95-12-8.example. 60 IN MX 10 ip-10-95-12-8.example.',
        'ar ip-10-95-12-8.example. 60 IN A 10.95.12.8',
      ],
    ],
    [
      'ExampleDomainANSMatch',
      [
        ['ANY', 'ANY'],
        [
          ['match', IP_A],
          ['answer', A_FROM_GROUPS],
          ['additional', 'ns0.example. IN A 203.0.113.8'],
          ['authority', 'example. IN NS ns0.example.com.'],
          fall,
        ],
      ],
      'ip-10-95-12-8.example',
      'A',
      [
        'NOERROR',
        'an ip-10-95-12-8.example. 60 IN A 10.95.12.8',
        'ns example. 3600 IN NS ns0.example.com.',
        'ar ns0.example. 3600 IN A 203.0.113.8',
      ],
    ],
    [
      'ExampleInvalidNXDOMAIN',
      [
        ['ANY', 'ANY'],
        [
          ['match', '[.]invalid[.]$'],
          ['rcode', 'NXDOMAIN'],
          ['answer', 'invalid. 60 {{ .Class }} SOA a.invalid. b.invalid. (1 60 60 60 60)'],
          fall,
        ],
      ],
      'test.invalid',
      'MX',
      ['NXDOMAIN', 'an invalid. 60 IN SOA a.invalid. b.invalid. 1 60 60 60 60'],
    ],
    [
      'CNAMEWithoutUpstream',
      [
        ['ANY', 'ANY'],
        [
          ['match', 'example[.]net[.]'],
          ['answer', 'example.net 60 IN CNAME target.example.com'],
          fall,
        ],
      ],
      'example.net',
      'A',
      ['NOERROR', 'an example.net. 60 IN CNAME target.example.com.'],
    ],
    [
      'mdMissing (.Meta without metadata)',
      [
        ['ANY', 'ANY'],
        [['match', IP_A], ['answer', `{{ .Meta "foofoo" }}${A_FROM_GROUPS}`], fall],
      ],
      'ip-10-95-12-8.example',
      'A',
      ['NOERROR', 'an ip-10-95-12-8.example. 60 IN A 10.95.12.8'],
    ],
  ];
  for (const [label, spec, name, type, want] of cases)
    assert.deepEqual(await ask(templatePlugin(templates([spec])), name, type), want, label);
});

test('template_test.go TestHandler failures: SERVFAIL, reported through the hook', async () => {
  const cases: [string, string[][], string, Partial<TemplateFailure>][] = [
    [
      'BrokenTemplate',
      [['answer', '{{ .Name }} 60 IN TXT "{{ index .Match 2 }}"']],
      'template: answer:1:26: executing "answer" at <index .Match 2>: error calling index: index out of range: 2',
      { kind: 'template', section: 'answer', line: 3 },
    ],
    [
      'BrokenParseIntTemplate',
      [['answer', '{{ .Name }} 60 IN TXT "{{ parseInt "gg" 16 8 }}"']],
      'template: answer:1:26: executing "answer" at <parseInt "gg" 16 8>: error calling parseInt: strconv.ParseUint: parsing "gg": invalid syntax',
      { kind: 'template' },
    ],
    [
      'NonRRTemplate',
      [['answer', '{{ .Name }}']],
      'expected a type after "test.example.": "test.example."',
      { kind: 'rr', section: 'answer' },
    ],
    [
      'NonRRAdditionalTemplate',
      [['additional', '{{ .Name }}']],
      'expected a type after "test.example.": "test.example."',
      { section: 'additional' },
    ],
    [
      'NonRRAuthorityTemplate',
      [['authority', '{{ .Name }}']],
      'expected a type after "test.example.": "test.example."',
      { section: 'authority' },
    ],
  ];
  for (const [label, block, error, fields] of cases) {
    const failures: TemplateFailure[] = [];
    const matches: TemplateMatch[] = [];
    const plugin = templatePlugin(
      templates([
        [
          ['ANY', 'ANY'],
          [['match', '[.]example[.]$'], ...block, ['fallthrough']],
        ],
      ]),
      {
        onFailure: (f) => failures.push(f),
        onMatch: (m) => matches.push(m),
      },
    );
    assert.equal(await ask(plugin, 'test.example', 'ANY'), 'SERVFAIL', label);
    assert.deepEqual(matches, [{ zone: '.', class: 'IN', type: 'ANY' }], label);
    assert.equal(failures.length, 1, label);
    assert.equal(failures[0]!.error, error, label);
    assert.deepEqual({ ...failures[0], ...fields }, failures[0], label);
    assert.equal(failures[0]!.file, 'Corefile', label);
  }
});

test('template_test.go TestMultiSection: several templates in a block for test.', async () => {
  const plugin = templatePlugin(
    templates(
      [
        [['IN', 'A'], [['rcode', 'REFUSED']]],
        [
          ['IN', 'TXT'],
          [['match', '$^'], ['rcode', 'SERVFAIL'], ['fallthrough']],
        ],
        [['CH', 'TXT', 'coredns.invalid'], [['answer', '{{ .Name }} 60 CH TXT "test"']]],
        [
          ['IN', 'A', 'example'],
          [
            ['match', '^ip-10-(?P<b>[0-9]*)-(?P<c>[0-9]*)-(?P<d>[0-9]*)[.]example[.]$'],
            ['answer', A_FROM_GROUPS],
            ['fallthrough'],
          ],
        ],
        [
          ['IN', 'MX', 'example'],
          [
            ['match', '^ip-10-(?P<b>[0-9]*)-(?P<c>[0-9]*)-(?P<d>[0-9]*)[.]example[.]$'],
            ['answer', '{{ .Name }} 60 IN MX 10 {{ .Name }}'],
            ['additional', A_FROM_GROUPS],
          ],
        ],
      ],
      ['test'],
    ),
  );
  const cases: [string, string, string, string[] | string][] = [
    ['some.test', 'IN', 'A', ['REFUSED']],
    ['some.test', 'IN', 'TXT', 'next'],
    ['coredns.invalid', 'CH', 'TXT', ['NOERROR', 'an coredns.invalid. 60 CH TXT "test"']],
    [
      'ip-10-11-12-13.example',
      'IN',
      'A',
      ['NOERROR', 'an ip-10-11-12-13.example. 60 IN A 10.11.12.13'],
    ],
    [
      'ip-10-11-12-13.example',
      'IN',
      'MX',
      [
        'NOERROR',
        'an ip-10-11-12-13.example. 60 IN MX 10 ip-10-11-12-13.example.',
        'ar ip-10-11-12-13.example. 60 IN A 10.11.12.13',
      ],
    ],
    ['something.example', 'IN', 'A', 'next'],
    ['something.example', 'IN', 'MX', 'SERVFAIL'],
    ['elsewhere.org', 'IN', 'A', 'next'],
  ];
  for (const [name, klass, type, want] of cases)
    assert.deepEqual(
      await ask(plugin, name, type, { class: klass }),
      want,
      `${name} ${klass} ${type}`,
    );
});

test('README examples: A and PTR for .example, search-domain NXDOMAIN, fabricated CNAME', async () => {
  const plugin = templatePlugin(
    templates([
      [
        ['IN', 'A', 'example'],
        [
          [
            'match',
            '(^|[.])ip-(?P<a>[0-9]*)-(?P<b>[0-9]*)-(?P<c>[0-9]*)-(?P<d>[0-9]*)[.]example[.]$',
          ],
          [
            'answer',
            '{{ .Name }} 60 IN A {{ .Group.a }}.{{ .Group.b }}.{{ .Group.c }}.{{ .Group.d }}',
          ],
          ['fallthrough'],
        ],
      ],
      [
        ['IN', 'PTR', 'in-addr.arpa'],
        [
          [
            'match',
            '^(?P<d>[0-9]*)[.](?P<c>[0-9]*)[.](?P<b>[0-9]*)[.](?P<a>[0-9]*)[.]in-addr[.]arpa[.]$',
          ],
          [
            'answer',
            '{{ .Name }} 60 IN PTR ip-{{ .Group.a }}-{{ .Group.b }}-{{ .Group.c }}-{{ .Group.d }}.example.',
          ],
        ],
      ],
      [
        ['IN', 'ANY', 'example.com.dc1.example.com'],
        [
          ['rcode', 'NXDOMAIN'],
          [
            'authority',
            '{{ .Zone }} 60 IN SOA ns.example.com hostmaster.example.com (1 60 60 60 60)',
          ],
        ],
      ],
      [
        ['IN', 'ANY', 'foogle.com'],
        [
          ['match', '^foogle\\.com\\.$'],
          ['answer', 'foogle.com 60 IN CNAME google.com'],
        ],
      ],
    ]),
    {
      upstream: async (q) => ({
        ...emptySections('NOERROR'),
        answers: [{ name: q.name, type: 'A', ttl: 30, data: '142.250.0.1' }],
      }),
    },
  );
  const cases: [string, string, string[] | string][] = [
    ['ip-10-1-2-3.example', 'A', ['NOERROR', 'an ip-10-1-2-3.example. 60 IN A 10.1.2.3']],
    ['www.IP-10-1-2-3.Example', 'A', ['NOERROR', 'an www.ip-10-1-2-3.example. 60 IN A 10.1.2.3']], // a wildcard, lowercased
    ['other.example', 'A', 'next'],
    [
      '3.2.1.10.in-addr.arpa',
      'PTR',
      ['NOERROR', 'an 3.2.1.10.in-addr.arpa. 60 IN PTR ip-10-1-2-3.example.'],
    ],
    ['2.1.10.in-addr.arpa', 'PTR', 'SERVFAIL'], // no fallthrough
    [
      'x.example.com.dc1.example.com',
      'AAAA',
      [
        'NXDOMAIN',
        'ns example.com.dc1.example.com. 60 IN SOA ns.example.com. hostmaster.example.com. 1 60 60 60 60',
      ],
    ],
    [
      'foogle.com',
      'A',
      ['NOERROR', 'an foogle.com. 60 IN CNAME google.com.', 'an google.com. 30 IN A 142.250.0.1'],
    ],
    ['foogle.com', 'TXT', ['NOERROR', 'an foogle.com. 60 IN CNAME google.com.']],
  ];
  for (const [name, type, want] of cases)
    assert.deepEqual(await ask(plugin, name, type), want, `${name} ${type}`);
});

test('.Remote makes the answer volatile; .Question, env, .Meta, and an upstream loop is bounded', async () => {
  const opts: TemplatePluginOptions = {
    env: { SITE: 'eu' },
    meta: (_q, name) => (name === 'foo' ? 'myfoo' : ''),
  };
  const [remote, question] = templates([
    [['IN', 'A', 'remote.test'], [['answer', '{{ .Name }} 60 IN A {{ .Remote }}']]],
    [
      ['IN', 'TXT', 'q.test'],
      [
        [
          'answer',
          '{{ .Name }} 60 IN TXT "{{ .Question }}" "{{ .Question.Qtype }}" "{{ env "SITE" }}" "{{ .Meta "foo" }}"',
        ],
      ],
    ],
  ]);
  const q = (name: string, type: string): PluginQuery => ({
    name,
    type,
    class: 'IN',
    flags: { cd: false, do: false },
    transport: 'udp',
    zone: '',
    remote: { address: '192.0.2.7', port: 5353 },
  });
  const answered = await templatePlugin([remote!, question!], opts)(
    q('Remote.Test', 'A'),
    async () => NEXT,
  );
  assert.deepEqual(
    [answered.volatile, answered.answers.map(toPresentation)],
    [true, ['remote.test. 60 IN A 192.0.2.7']],
  );
  const text = await templatePlugin([remote!, question!], opts)(
    q('Q.test', 'TXT'),
    async () => NEXT,
  );
  assert.deepEqual(
    [text.volatile, text.answers.map(toPresentation)],
    [undefined, ['q.test. 60 IN TXT ";Q.test.\\009IN\\009 TXT" "16" "eu" "myfoo"']],
  );
  // A CNAME to itself: upstream goes round through the same plugin, at most 8 times.
  const [loop] = templates([
    [['IN', 'A', 'loop.test'], [['answer', 'loop.test 60 IN CNAME loop.test']]],
  ]);
  let calls = 0;
  const self: Next = (query) => {
    calls++;
    return plugin(query, async () => NEXT);
  };
  const plugin = templatePlugin([loop!], { upstream: self });
  const looped = await plugin(q('loop.test', 'A'), async () => NEXT);
  assert.equal(calls, 8);
  assert.equal(looped.answers.length, 9);
});
