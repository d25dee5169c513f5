// `rewrite` directives: the ones CoreDNS accepts build, each bad one is refused with its line and
// CoreDNS's reason (setup_test.go, rewrite_test.go TestNewRule, name_test.go TestNewNameRule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directive } from '../corefile/corefile.ts';
import { ruleFromDirective } from './rewrite-corefile.ts';

/** A directive from Corefile text: `rewrite ARGS`, or `rewrite ARGS {` then one line per option. */
function directive(text: string): Directive {
  const [head, ...rest] = text.split('\n');
  const [name, ...args] = head!
    .trim()
    .replace(/\s*\{$/, '')
    .split(/\s+/) as [string, ...string[]];
  const d: Directive = { name, args, file: 'Corefile', line: 1 };
  if (head!.trim().endsWith('{'))
    d.block = rest
      .map((line, i) => ({ words: line.trim().split(/\s+/), line: i + 2 }))
      .filter(({ words }) => words[0] !== '}' && words[0] !== '')
      .map(({ words: [n, ...a], line }) => ({ name: n!, args: a, file: 'Corefile', line }));
  return d;
}

test('directives CoreDNS accepts', () => {
  const good = [
    'rewrite name a.com b.com',
    'rewrite name exact a.com b.com',
    'rewrite name prefix a.com b.com',
    'rewrite name suffix a.com b.com',
    'rewrite name substring a.com b.com',
    'rewrite name regex ([a])\\.com new-{1}.com',
    'rewrite name regex (dns)\\.(core)\\.(rocks) {2}.{1}.{3} answer name (core)\\.(dns)\\.(rocks) {2}.{1}.{3}',
    'rewrite name substring fcore.dns.rocks dns.fcore.rocks answer name (fcore)\\.(dns)\\.(rocks) {2}.{1}.{3}',
    'rewrite stop name a.com b.com',
    'rewrite continue name a.com b.com',
    'rewrite type any a',
    'rewrite stop type any a',
    'rewrite continue class ch in',
    'rewrite stop name srv1.coredns.rocks srv2.coredns.rocks',
    'rewrite stop name suffix coredns.rocks coredns.rocks.',
    'rewrite stop name regex srv1.coredns.rocks 10',
    'rewrite stop name regex (.*).coredns.rocks {1}.coredns.rocks',
    'rewrite stop name regex staging.mydomain.com aws-loadbalancer-id.us-east-1.elb.amazonaws.com',
    'rewrite stop name suffix staging.mydomain.com coredns.rock answer auto',
    'rewrite stop name regex staging.mydomain.com coredns.rock answer auto',
    'rewrite stop name regex staging.mydomain.com coredns.rock answer name coredns.rock staging.mydomain.com',
    'rewrite stop name regex staging.mydomain.com coredns.rock answer name (.*).coredns.rock {1}.staging.mydomain.com name (.*).coredns.rock {1}.staging.mydomain.com',
    'rewrite stop name regex staging.mydomain.com coredns.rock answer name (.*).coredns.rock {1}.staging.mydomain.com answer value (.*).coredns.rock {1}.staging.mydomain.com',
    'rewrite stop name suffix staging.mydomain.com. coredns.rock. answer value (.*).coredns.rock {1}.staging.mydomain.com value (.*).coredns.rock {1}.staging.mydomain.com',
    'rewrite stop name suffix staging.mydomain.com. coredns.rock. answer value (.*).coredns.rock {1}.staging.mydomain.com name (.*).coredns.rock {1}.staging.mydomain.com',
    'rewrite stop name regex (?i)^Foo\\.(?P<rest>.*)$ bar.{1}',
    'rewrite stop {\n  name regex foo bar\n  answer name bar foo\n}',
    'rewrite stop name regex foo bar answer name bar foo',
    'rewrite {\n  name suffix .coredns.rocks .service.consul answer auto\n}',
  ];
  for (const text of good) assert.doesNotThrow(() => ruleFromDirective(directive(text)), text);
});

test('bad directives: the line and the reason', () => {
  const p = 'Corefile:1 - Error during parsing: rewrite: ';
  const cases: [string, string][] = [
    ['rewrite', `${p}no rule type specified for rewrite`],
    ['rewrite foo', `${p}invalid rule type "foo"`],
    ['rewrite unknown-action name a.com b.com', `${p}invalid rule type "unknown-action"`],
    ['rewrite stop', `${p}stop rule must begin with a rule type`],
    ['rewrite continue', `${p}continue rule must begin with a rule type`],
    ['rewrite name', `${p}too few arguments for a name rule`],
    ['rewrite name a.com', `${p}too few arguments for a name rule`],
    [
      'rewrite name a.com b.com c.com',
      `${p}name rule supports only exact, prefix, suffix, substring, and regex name matching, received: a.com`,
    ],
    ['rewrite name substring a.com b.com c.com', `${p}invalid arguments for substring rule`],
    ['rewrite name regex ([a]\\.com new-{1}.com', `${p}invalid regex matching pattern: ([a]\\.com`],
    [
      'rewrite stop name regex [bad[ bar answer name bar foo',
      `${p}invalid regex matching pattern: [bad[`,
    ],
    [
      'rewrite name regex (.*).coredns.rocks {1}.{2}.coredns.rocks',
      `${p}the rewrite regex pattern ({1}.{2}.coredns.rocks) uses more subexpressions than its corresponding matching regex pattern ((.*).coredns.rocks)`,
    ],
    [
      'rewrite name regex (adns)\\.(core)\\.(rocks) {2}.{1}.{3} answer name (core)\\.(adns)\\.(rocks) {2}.{1}.{3} too.long way.too.long',
      `${p}invalid type "too.long" for answer rule for regex rule`,
    ],
    [
      'rewrite name regex (bdns)\\.(core)\\.(rocks) {2}.{1}.{3} NoAnswer name (core)\\.(bdns)\\.(rocks) {2}.{1}.{3}',
      `${p}exceeded the number of arguments for a non-answer rule argument for regex rule`,
    ],
    [
      'rewrite name regex (cdns)\\.(core)\\.(rocks) {2}.{1}.{3} answer ttl (core)\\.(cdns)\\.(rocks) {2}.{1}.{3}',
      `${p}invalid type "ttl" for answer rule for regex rule`,
    ],
    [
      'rewrite name suffix staging.mydomain.com coredns.rock answer',
      `${p}invalid arguments for suffix rule`,
    ],
    [
      'rewrite name suffix staging.mydomain.com coredns.rock answer name',
      `${p}name answer rule for suffix rule: 2 arguments required`,
    ],
    [
      'rewrite name suffix staging.mydomain.com coredns.rock answer other',
      `${p}invalid type "other" for answer rule for suffix rule`,
    ],
    [
      'rewrite name regex staging.mydomain.com coredns.rock answer name',
      `${p}name answer rule for regex rule: 2 arguments required`,
    ],
    [
      'rewrite name regex staging.mydomain.com coredns.rock answer name (.*).coredns.rock {1}.{2}.staging.mydomain.com',
      `${p}name answer rule for regex rule: the rewrite regex pattern ({1}.{2}.staging.mydomain.com) uses more subexpressions than its corresponding matching regex pattern ((.*).coredns.rock)`,
    ],
    [
      'rewrite name regex staging.mydomain.com coredns.rock answer name (.*).coredns.rock {1}.staging.mydomain.com name (.*).coredns.rock',
      `${p}name answer rule for regex rule: 2 arguments required`,
    ],
    [
      'rewrite name suffix staging.mydomain.com. coredns.rock. answer value (.*).coredns.rock {1}.staging.mydomain.com value (.*).coredns.rock',
      `${p}value answer rule for suffix rule: 2 arguments required`,
    ],
    [
      'rewrite name regex a b answer auto answer name c d',
      `${p}auto name answer rule cannot be combined with explicit name answer rules`,
    ],
    [`rewrite name regex ${'a'.repeat(10_001)} x`, `${p}regex pattern too long: 10001 > 10000`],
    ['rewrite type', `${p}type rules must have exactly two arguments`],
    ['rewrite type a', `${p}type rules must have exactly two arguments`],
    ['rewrite type any a a', `${p}type rules must have exactly two arguments`],
    ['rewrite type XY WV', `${p}invalid type "XY"`],
    ['rewrite type ANY WV', `${p}invalid type "WV"`],
    ['rewrite class', `${p}class rules must have exactly two arguments`],
    ['rewrite class IN', `${p}class rules must have exactly two arguments`],
    ['rewrite class ch in in', `${p}class rules must have exactly two arguments`],
    ['rewrite class XY WV', `${p}invalid class "XY"`],
    ['rewrite class IN WV', `${p}invalid class "WV"`],
    ['rewrite answer name a b', `${p}response rewrites must begin with a name rule`],
    [
      'rewrite edns0 local set 0xffee abcd',
      `${p}edns0 rules are not supported by edge-dns (name, type and class are)`,
    ],
    [
      'rewrite continue ttl example.com. 30',
      `${p}ttl rules are not supported by edge-dns (name, type and class are)`,
    ],
    [
      'rewrite cname regex (.*).cdn.example.net. {1}.other.cdn.com.',
      `${p}cname rules are not supported by edge-dns (name, type and class are)`,
    ],
    [
      'rewrite rcode example.com. SERVFAIL NOERROR',
      `${p}rcode rules are not supported by edge-dns (name, type and class are)`,
    ],
    // the block form names the line at fault
    [
      'rewrite stop {\n  name regex foo bar\n  answer name bar foo\n  name baz\n}',
      'Corefile:4 - Error during parsing: rewrite: name answer rule for regex rule: 2 arguments required',
    ],
    [
      'rewrite stop {\n  answer name bar foo\n  name regex foo bar\n}',
      'Corefile:2 - Error during parsing: rewrite: response rewrites must begin with a name rule',
    ],
    [
      'rewrite stop {\n  name regex (a foo\n}',
      'Corefile:2 - Error during parsing: rewrite: invalid regex matching pattern: (a',
    ],
    [
      'rewrite name a.com b.com {\n  answer auto\n}',
      'Corefile:2 - Error during parsing: rewrite: a rule is written either on the line or in a block, not both',
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(
      () => ruleFromDirective(directive(text)),
      { name: 'CorefileError', message },
      text,
    );
});
