// The rewrite plugin end to end: Corefile rules, a query in, the question `next` sees, the records
// the client gets. Cases transcribed from CoreDNS's rewrite tests and docs (names fully qualified,
// records in presentation format).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections, type Sections } from '../core/sections.ts';
import type { Directive } from '../corefile/corefile.ts';
import { rewriteFromDirectives } from './rewrite-corefile.ts';

/** `rewrite ...` lines as directives of one server block (no blocks). */
const directives = (lines: string[]): Directive[] =>
  lines.map((l, i) => {
    const [name, ...args] = l.trim().split(/\s+/) as [string, ...string[]];
    return { name, args, file: 'Corefile', line: i + 1 };
  });

const bare = (n: string) => (n === '.' ? '' : n.replace(/\.$/, ''));
const fq = (n: string) => (n === '' || n === '.' ? '.' : n.endsWith('.') ? n : `${n}.`);

/** One record from `owner TTL IN TYPE RDATA`. */
function rr(line: string): Answer {
  const [owner, ttl, , type, ...d] = line.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    ...string[],
  ];
  const base = { name: bare(owner), ttl: Number(ttl), class: 'IN' as const };
  switch (type) {
    case 'A':
      return { ...base, type, data: d[0]! };
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return { ...base, type, data: bare(d[0]!) };
    case 'MX':
      return { ...base, type, data: { preference: Number(d[0]), exchange: bare(d[1]!) } };
    case 'SRV':
      return {
        ...base,
        type,
        data: { priority: +d[0]!, weight: +d[1]!, port: +d[2]!, target: bare(d[3]!) },
      };
    case 'SOA':
      return {
        ...base,
        type,
        data: {
          mname: bare(d[0]!),
          rname: bare(d[1]!),
          serial: +d[2]!,
          refresh: +d[3]!,
          retry: +d[4]!,
          expire: +d[5]!,
          minimum: +d[6]!,
        },
      };
    case 'NAPTR':
      return {
        ...base,
        type,
        data: {
          order: +d[0]!,
          preference: +d[1]!,
          flags: d[2]!,
          services: d[3]!,
          regexp: d[4]!,
          replacement: bare(d[5]!),
        },
      };
    default:
      throw new Error(`no test parser for ${type}`);
  }
}

/** A record back in presentation format. */
function text(r: Answer): string {
  if (r.type === 'OPT') return 'OPT';
  const head = `${fq(r.name)} ${r.ttl} IN ${r.type}`;
  switch (r.type) {
    case 'A':
      return `${head} ${r.data}`;
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return `${head} ${fq(r.data)}`;
    case 'MX':
      return `${head} ${r.data.preference} ${fq(r.data.exchange)}`;
    case 'SRV':
      return `${head} ${r.data.priority} ${r.data.weight} ${r.data.port} ${fq(r.data.target)}`;
    case 'SOA': {
      const s = r.data;
      return `${head} ${fq(s.mname)} ${fq(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'NAPTR': {
      const n = r.data;
      return `${head} ${n.order} ${n.preference} ${n.flags} ${n.services} ${n.regexp} ${fq(n.replacement)}`;
    }
    default:
      return head;
  }
}

const query = (name: string, type = 'A', klass = 'IN'): PluginQuery => ({
  name: bare(name),
  type,
  class: klass,
  flags: { cd: false, do: false },
  transport: 'udp',
  zone: '',
});

/**
 * Runs `rules` on `asked`; `next` records the question it sees and answers `answers` (or, as
 * CoreDNS's tests' msgPrinter, `NAME 5 IN A 10.0.0.1` at the name it sees) and `extra`.
 */
async function run(rules: string[], asked: PluginQuery, answers?: string[], extra: string[] = []) {
  const plugin = rewriteFromDirectives(directives(rules));
  let seen: PluginQuery | undefined;
  const out = await plugin(asked, async (q) => {
    seen = q;
    const lines = answers ?? [`${fq(q.name)} 5 IN A 10.0.0.1`];
    return {
      ...emptySections('NOERROR', true),
      answers: lines.map(rr),
      additionals: extra.map(rr),
    };
  });
  return { seen, out };
}

const show = (s: Sections) => [...s.answers, ...s.additionals].map(text);

// CoreDNS rewrite_test.go TestRewrite: twelve rules, each query meets them in order.
const RULES = [
  'rewrite stop name from.nl. to.nl.',
  'rewrite stop name regex (core)\\.(dns)\\.(rocks)\\.(nl) {2}.{1}.{3}.{4} answer name (dns)\\.(core)\\.(rocks)\\.(nl) {2}.{1}.{3}.{4}',
  'rewrite stop name exact from.exact.nl. to.nl.',
  'rewrite stop name prefix prefix to',
  'rewrite stop name suffix .suffix. .nl.',
  'rewrite stop name substring from.substring to',
  'rewrite stop name regex (f.*m)\\.regex\\.(nl) to.{2}',
  'rewrite continue name regex consul\\.(rocks) core.dns.{1}',
  'rewrite stop name core.dns.rocks to.nl.',
  'rewrite continue class HS CH',
  'rewrite stop class CH IN',
  'rewrite stop type ANY HINFO',
];

test('rules in order, stop and continue (CoreDNS TestRewrite)', async () => {
  // query (name type class) | what next sees | the A record the client gets
  const cases: [string, string, string | undefined][] = [
    ['from.nl. A IN', 'to.nl. A IN', 'from.nl. 5 IN A 10.0.0.1'],
    ['a.nl. A IN', 'a.nl. A IN', 'a.nl. 5 IN A 10.0.0.1'],
    ['a.nl. A CH', 'a.nl. A IN', 'a.nl. 5 IN A 10.0.0.1'],
    ['a.nl. ANY IN', 'a.nl. HINFO IN', undefined],
    // the name is rewritten, the type is not: the name rule stops
    ['from.nl. ANY IN', 'to.nl. ANY IN', undefined],
    ['from.exact.nl. A IN', 'to.nl. A IN', 'from.exact.nl. 5 IN A 10.0.0.1'],
    // prefix, suffix, substring and regex without `answer`: the answer keeps the new name
    ['prefix.nl. A IN', 'to.nl. A IN', 'to.nl. 5 IN A 10.0.0.1'],
    ['to.suffix. A IN', 'to.nl. A IN', 'to.nl. 5 IN A 10.0.0.1'],
    ['from.substring.nl. A IN', 'to.nl. A IN', 'to.nl. 5 IN A 10.0.0.1'],
    ['from.regex.nl. A IN', 'to.nl. A IN', 'to.nl. 5 IN A 10.0.0.1'],
    // continue, then an exact rule, whose answer is reversed to the name it saw
    ['consul.rocks. A IN', 'to.nl. A IN', 'core.dns.rocks. 5 IN A 10.0.0.1'],
    // the class rule stops before the type rule
    ['a.nl. ANY CH', 'a.nl. ANY IN', undefined],
    // HS to CH (continue), then CH to IN
    ['a.nl. ANY HS', 'a.nl. ANY IN', undefined],
    ['core.dns.rocks.nl. A IN', 'dns.core.rocks.nl. A IN', 'core.dns.rocks.nl. 5 IN A 10.0.0.1'],
  ];
  for (const [q, sees, gets] of cases) {
    const [name, type, klass] = q.split(' ') as [string, string, string];
    const { seen, out } = await run(RULES, query(name, type, klass));
    assert.equal(`${fq(seen!.name)} ${seen!.type} ${seen!.class}`, sees, q);
    if (gets) assert.deepEqual(show(out), [gets], q);
  }
});

test('one name rule: the name next sees and the owner the client gets (CoreDNS name_test.go)', async () => {
  // rule | query | what next sees | the client's owner name
  const cases: [string, string, string, string][] = [
    ['prefix foo bar', 'foo.example.com.', 'bar.example.com.', 'bar.example.com.'],
    ['prefix foo. bar.', 'foo.example.com.', 'bar.example.com.', 'bar.example.com.'],
    ['suffix com org', 'foo.example.com.', 'foo.example.org.', 'foo.example.org.'],
    ['suffix .com .org', 'foo.example.com.', 'foo.example.org.', 'foo.example.org.'],
    [
      'suffix .ingress.coredns.rocks nginx.coredns.rocks',
      'coredns.ingress.coredns.rocks.',
      'corednsnginx.coredns.rocks.',
      'corednsnginx.coredns.rocks.',
    ],
    ['prefix foo bar answer auto', 'foo.example.com.', 'bar.example.com.', 'foo.example.com.'],
    ['prefix foo. bar. answer auto', 'foo.example.com.', 'bar.example.com.', 'foo.example.com.'],
    ['suffix com org answer auto', 'foo.example.com.', 'foo.example.org.', 'foo.example.com.'],
    ['suffix .com .org answer auto', 'foo.example.com.', 'foo.example.org.', 'foo.example.com.'],
    [
      'suffix .ingress.coredns.rocks nginx.coredns.rocks answer auto',
      'coredns.ingress.coredns.rocks.',
      'corednsnginx.coredns.rocks.',
      'coredns.ingress.coredns.rocks.',
    ],
    [
      'exact coredns.rocks service.consul answer auto',
      'coredns.rocks.',
      'service.consul.',
      'coredns.rocks.',
    ],
    [
      'exact coredns.rocks. service.consul. answer auto',
      'coredns.rocks.',
      'service.consul.',
      'coredns.rocks.',
    ],
    ['exact coredns.rocks service.consul', 'coredns.rocks.', 'service.consul.', 'coredns.rocks.'],
    ['exact coredns.org. service.consul.', 'coredns.rocks.', 'coredns.rocks.', 'coredns.rocks.'],
    [
      'regex (.*).coredns.rocks {1}.coredns.maps answer auto',
      'foo.coredns.rocks.',
      'foo.coredns.maps.',
      'foo.coredns.rocks.',
    ],
    [
      'regex (.*).coredns.rocks {1}.coredns.maps answer name (.*).coredns.maps {1}.coredns.works',
      'foo.coredns.rocks.',
      'foo.coredns.maps.',
      'foo.coredns.works.',
    ],
    [
      'regex (.*).coredns.rocks {1}.coredns.maps',
      'foo.coredns.rocks.',
      'foo.coredns.maps.',
      'foo.coredns.maps.',
    ],
    // no match
    ['prefix foo bar', 'coredns.foo.', 'coredns.foo.', 'coredns.foo.'],
    ['prefix foo bar.', 'coredns.foo.', 'coredns.foo.', 'coredns.foo.'],
    ['suffix com org', 'com.coredns.', 'com.coredns.', 'com.coredns.'],
    ['suffix com org.', 'com.coredns.', 'com.coredns.', 'com.coredns.'],
    ['substring service svc', 'com.coredns.', 'com.coredns.', 'com.coredns.'],
    // the docs' examples
    [
      'substring service.us-west-1.example.org service.us-west-1.consul',
      'ftp.service.us-west-1.example.org.',
      'ftp.service.us-west-1.consul.',
      'ftp.service.us-west-1.consul.',
    ],
    [
      'regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul',
      'ftp-us-west-1.example.org.',
      'ftp.service.us-west-1.consul.',
      'ftp.service.us-west-1.consul.',
    ],
    [
      'suffix .schmoogle.com. .google.com.',
      'www.schmoogle.com.',
      'www.google.com.',
      'www.google.com.',
    ],
    [
      'regex (.*)-(us-west-1)\\.coredns\\.rocks {1}.service.{2}.consul answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.coredns.rocks',
      'ftp-us-west-1.coredns.rocks.',
      'ftp.service.us-west-1.consul.',
      'ftp-us-west-1.coredns.rocks.',
    ],
  ];
  for (const [rule, asked, sees, owner] of cases) {
    const { seen, out } = await run([`rewrite stop name ${rule}`], query(asked));
    assert.equal(fq(seen!.name), sees, rule);
    assert.deepEqual(show(out), [`${owner} 5 IN A 10.0.0.1`], rule);
  }
});

// CoreDNS reverter_test.go valueTests: my.domain.uk. asked, my.cluster.local. answered.
const VALUE_CASES: [string, string, string, string][] = [
  // type | what next answers | the client's answer | the client's additional (owner)
  [
    'SRV',
    'my.cluster.local. 5 IN SRV 0 100 100 srv1.my.cluster.local.',
    'my.domain.uk. 5 IN SRV 0 100 100 srv1.my.domain.uk.',
    'srv1.my.cluster.local. > srv1.my.domain.uk.',
  ],
  [
    'ANY',
    'my.cluster.local. 3600 IN CNAME cname.cluster.local.',
    'my.domain.uk. 3600 IN CNAME cname.domain.uk.',
    'cname.cluster.local. > cname.domain.uk.',
  ],
  [
    'ANY',
    'my.cluster.local. 3600 IN DNAME dname.cluster.local.',
    'my.domain.uk. 3600 IN DNAME dname.domain.uk.',
    'dname.cluster.local. > dname.domain.uk.',
  ],
  [
    'MX',
    'my.cluster.local. 3600 IN MX 1 mx1.cluster.local.',
    'my.domain.uk. 3600 IN MX 1 mx1.domain.uk.',
    'mx1.cluster.local. > mx1.domain.uk.',
  ],
  [
    'ANY',
    'my.cluster.local. 3600 IN NS ns1.cluster.local.',
    'my.domain.uk. 3600 IN NS ns1.domain.uk.',
    'ns1.cluster.local. > ns1.domain.uk.',
  ],
  [
    'SOA',
    'my.cluster.local. 1800 IN SOA ns1.cluster.local. admin.cluster.local. 1502165581 14400 3600 604800 14400',
    'my.domain.uk. 1800 IN SOA ns1.domain.uk. admin.cluster.local. 1502165581 14400 3600 604800 14400',
    'ns1.cluster.local. > ns1.domain.uk.',
  ],
  [
    'NAPTR',
    'my.cluster.local. 100 IN NAPTR 100 10 S SIP+D2U !^.*$!sip:cs@example.com! _sip._udp.cluster.local.',
    'my.domain.uk. 100 IN NAPTR 100 10 S SIP+D2U !^.*$!sip:cs@example.com! _sip._udp.domain.uk.',
    'ns1.cluster.local. > ns1.domain.uk.',
  ],
];

const VALUE_RULES: Record<string, string[]> = {
  regex: [
    'rewrite stop name regex (.*)\\.domain\\.uk {1}.cluster.local answer name (.*)\\.cluster\\.local {1}.domain.uk answer value (.*)\\.cluster\\.local {1}.domain.uk',
  ],
  continue: [
    'rewrite continue name regex (.*)\\.domain\\.uk {1}.cluster.local answer name (.*)\\.cluster\\.local {1}.domain.uk answer value (.*)\\.cluster\\.local {1}.domain.uk',
  ],
  suffix: [
    'rewrite stop name suffix .domain.uk .cluster.local answer auto answer value (.*)\\.cluster\\.local {1}.domain.uk',
  ],
  // responses are rewritten in reverse: .cluster.local to .domain.us, then to .domain.uk
  'suffix, two rules': [
    'rewrite continue name suffix .domain.uk .domain.us answer auto',
    'rewrite stop name suffix .domain.us .cluster.local answer auto',
  ],
};

test('answer name and answer value (CoreDNS reverter_test.go)', async () => {
  for (const [label, rules] of Object.entries(VALUE_RULES)) {
    for (const [type, answer, gets, additional] of VALUE_CASES) {
      const [from, to] = additional.split(' > ') as [string, string];
      const { seen, out } = await run(
        rules,
        query('my.domain.uk.', type),
        [answer],
        [`${from} 5 IN A 10.0.0.1`],
      );
      assert.equal(`${fq(seen!.name)} ${seen!.type}`, `my.cluster.local. ${type}`, label);
      assert.deepEqual(show(out), [gets, `${to} 5 IN A 10.0.0.1`], `${label}: ${type}`);
    }
  }
});

test('the PTR value example of CoreDNS docs', async () => {
  const rules = [
    'rewrite stop name suffix .arpa .arpa answer value (.*)\\.service\\.consul\\. {1}.coredns.rocks.',
  ];
  const { out } = await run(rules, query('30.30.30.10.in-addr.arpa.', 'PTR'), [
    '30.30.30.10.in-addr.arpa. 60 IN PTR ftp-us-west-1.service.consul.',
  ]);
  assert.deepEqual(show(out), ['30.30.30.10.in-addr.arpa. 60 IN PTR ftp-us-west-1.coredns.rocks.']);
});

test('the block form is one rule', async () => {
  const d: Directive = {
    name: 'rewrite',
    args: ['stop'],
    block: [
      {
        name: 'name',
        args: ['regex', '(.*)-(us-west-1)\\.coredns\\.rocks', '{1}.service.{2}.consul'],
        file: 'Corefile',
        line: 2,
      },
      {
        name: 'answer',
        args: ['name', '(.*)\\.service\\.(us-west-1)\\.consul', '{1}-{2}.coredns.rocks'],
        file: 'Corefile',
        line: 3,
      },
    ],
    file: 'Corefile',
    line: 1,
  };
  const plugin = rewriteFromDirectives([d]);
  let seen = '';
  const out = await plugin(query('ftp-us-west-1.coredns.rocks.'), async (q) => {
    seen = q.name;
    return {
      ...emptySections('NOERROR'),
      answers: ['10.10.10.10', '10.20.20.20'].map((ip) => rr(`${q.name}. 0 IN A ${ip}`)),
    };
  });
  assert.equal(seen, 'ftp.service.us-west-1.consul');
  assert.deepEqual(show(out), [
    'ftp-us-west-1.coredns.rocks. 0 IN A 10.10.10.10',
    'ftp-us-west-1.coredns.rocks. 0 IN A 10.20.20.20',
  ]);
});

test("matching ignores case; the client's spelling comes back (docs/architecture.md §6.3)", async () => {
  const { seen, out } = await run(['rewrite name exact from.nl to.nl'], query('From.NL.'));
  assert.equal(seen!.name, 'to.nl');
  assert.deepEqual(show(out), ['From.NL. 5 IN A 10.0.0.1']);
  // no rule matches: the question goes on as asked, case and all
  const other = await run(['rewrite name exact from.nl to.nl'], query('Other.NL.'));
  assert.equal(other.seen!.name, 'Other.NL');
});

test('an invalid name after a rewrite is SERVFAIL, next never asked (CoreDNS TestRewriteIllegalName)', async () => {
  const { seen, out } = await run(
    ['rewrite name example.org. example..org.'],
    query('example.org.'),
  );
  assert.equal(seen, undefined);
  assert.equal(out.rcode, 'SERVFAIL');
});

test('what next returned is not modified', async () => {
  const answers = [rr('to.nl. 5 IN A 10.0.0.1')];
  const plugin = rewriteFromDirectives(directives(['rewrite name from.nl to.nl']));
  const out = await plugin(query('from.nl.'), async () => ({
    ...emptySections('NOERROR'),
    answers,
  }));
  assert.equal(answers[0]!.name, 'to.nl');
  assert.equal(out.answers[0]!.name, 'from.nl');
});
