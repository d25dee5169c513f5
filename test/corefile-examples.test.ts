// The example Corefiles of infra/corefile/ as a user runs them: each passes
// `edge-dns --corefile FILE --validate` (exit 0, `ok`); broken copies fail it with exit 2 naming
// the file and line at fault; the NodeHosts/zone-file example starts and answers as written.
// The examples name their files as mounted in the pod (/etc/coredns, docs/corefile.md): here
// COREDNS_ROOT points at a copy of the folder laid out as <root>/etc/coredns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startContainer } from './support/container.ts';
import { makeQuery, queryUdp, rcodeOf } from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';
import { toPresentation } from './support/presentation.ts';

const GUARD = { timeout: 120_000 };
const EXAMPLES = join(REPO_ROOT, 'infra/corefile');
const root = mkdtempSync(join(tmpdir(), 'edge-dns-corefile-examples-'));
const etc = join(root, 'etc/coredns');
mkdirSync(etc, { recursive: true });
cpSync(EXAMPLES, etc, { recursive: true });
const env = { ...process.env, COREDNS_ROOT: root };

const corefiles = readdirSync(EXAMPLES).filter((f) => f.startsWith('Corefile'));

/** `node --import tsx functions/entry/container.ts --corefile FILE --validate ...flags`. */
async function validate(file: string, flags: string[] = []) {
  const p = startEntry(
    'functions/entry/container.ts',
    ['--corefile', file, '--validate', ...flags],
    {
      env,
    },
  );
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

test('the examples are the ones documented', () => {
  assert.deepEqual(corefiles.sort(), ['Corefile.cluster', 'Corefile.custom', 'Corefile.hosts']);
  const readme = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');
  for (const f of corefiles) assert.match(readme, new RegExp(`\`${f.replace('.', '\\.')}\``));
});

for (const name of corefiles) {
  test(`${name}: --validate prints ok and exits 0`, GUARD, async () => {
    const r = await validate(join(EXAMPLES, name));
    assert.deepEqual([r.code, r.stdout], [0, 'ok\n'], r.stderr);
  });
}

/** One line of one example file (in the copy) made wrong: the error names that file and line. */
interface Breakage {
  why: string;
  /** The Corefile run; `file` is the one edited (an imported file, or the Corefile itself). */
  corefile: string;
  file?: string;
  find: string;
  replace: string;
  /** The text whose line the error names, when not `find`'s (the directive, not its option). */
  at?: string;
  reason: RegExp;
  /** A check --validate does not make yet (the run still refuses it at start-up). */
  todo?: string;
}

const breakages: Breakage[] = [
  {
    why: 'a plugin no CoreDNS has',
    corefile: 'Corefile.cluster',
    find: '  ready\n',
    replace: '  webhook\n',
    reason: /unknown directive 'webhook': no CoreDNS plugin has this name/,
  },
  {
    why: 'a CoreDNS plugin edge-dns lacks',
    corefile: 'Corefile.custom',
    find: '  errors\n',
    replace: '  dnssec\n',
    reason: /plugin 'dnssec' is not supported by edge-dns yet/,
  },
  {
    why: 'a kubernetes option edge-dns refuses',
    corefile: 'Corefile.cluster',
    find: '    ttl 30\n',
    replace: '    noendpoints\n',
    reason: /option not supported by edge-dns/,
  },
  {
    why: 'a forward option edge-dns lacks',
    corefile: 'Corefile.cluster',
    find: '    policy sequential\n',
    replace: '    force_tcp\n',
    reason: /option not supported by edge-dns's forward/,
  },
  {
    why: 'a hosts TTL out of range',
    corefile: 'Corefile.hosts',
    find: '    ttl 60\n',
    replace: '    ttl 0\n',
    reason: /expected a TTL of 1\.\.65535 seconds, got "0"/,
  },
  {
    why: 'a file option other than reload',
    corefile: 'Corefile.hosts',
    find: '    reload 30s\n',
    replace: '    upstream\n',
    reason: /expected reload DURATION/,
  },
  {
    why: 'a template rcode edge-dns cannot send',
    corefile: 'Corefile.hosts',
    find: '    rcode NXDOMAIN\n',
    replace: '    rcode BADSIG\n',
    reason: /rcode BADSIG is not supported/,
  },
  {
    why: 'a rewrite rule edge-dns lacks',
    corefile: 'Corefile.hosts',
    find: '  rewrite name suffix',
    replace: '  rewrite ttl suffix',
    reason: /ttl rules are not supported by edge-dns/,
  },
  {
    why: 'a second port',
    corefile: 'Corefile.cluster',
    find: 'corp.example:53 {',
    replace: 'corp.example:1053 {',
    at: '.:53 {', // the first block: the blocks disagree, the first is named
    reason: /edge-dns serves one DNS port/,
  },
  {
    why: 'a process plugin that differs between blocks, in an imported file',
    corefile: 'Corefile.custom',
    file: 'custom/corp.server',
    find: '  errors\n',
    replace: '  errors {\n    consolidate 5m ".*"\n  }\n',
    reason: /differs from the one at .*Corefile\.custom:\d+: edge-dns runs one errors/,
  },
  {
    why: 'a bad log class, in an imported .override file',
    corefile: 'Corefile.custom',
    file: 'custom/log.override',
    find: '  class denial error\n',
    replace: '  class denial mistakes\n',
    at: 'log . {',
    reason: /log\.classes\[1\]: .*expected one of "all"\|"success"\|"denial"\|"error"/,
  },
  {
    why: 'a forward upstream of a scheme edge-dns lacks',
    corefile: 'Corefile.cluster',
    find: 'forward . 10.0.0.53',
    replace: 'forward . quic://10.0.0.53',
    reason: /unknown scheme quic:\/\//,
  },
  {
    why: 'a zone file that is not there',
    corefile: 'Corefile.hosts',
    find: 'etc/coredns/db.example.org example.org',
    replace: 'etc/coredns/db.missing example.org',
    at: '  file ',
    reason: /db\.missing/,
  },
  {
    why: 'a loadbalance weights file that is not there',
    corefile: 'Corefile.cluster',
    find: '  loadbalance\n',
    replace: '  loadbalance weighted {$COREDNS_ROOT}/etc/coredns/weights.missing\n',
    reason: /weights\.missing/,
  },
];

for (const b of breakages) {
  const title = `--validate refuses ${b.why}, naming the file and line`;
  test(title, { ...GUARD, ...(b.todo && { todo: b.todo }) }, async () => {
    const edited = join(etc, b.file ?? b.corefile);
    const text = readFileSync(join(EXAMPLES, b.file ?? b.corefile), 'utf8');
    const at = text.indexOf(b.find);
    assert.ok(at >= 0, `${b.find} is in ${b.file ?? b.corefile}`);
    const named = text.indexOf(b.at ?? b.find);
    const line = text.slice(0, named + (b.at ?? b.find).search(/\S/)).split('\n').length;
    writeFileSync(edited, text.slice(0, at) + b.replace + text.slice(at + b.find.length));
    try {
      const r = await validate(join(etc, b.corefile));
      assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '');
      const where = `${edited}:${line}`;
      assert.ok(r.stderr.includes(where), `stderr names ${where}:\n${r.stderr}`);
      assert.match(r.stderr, b.reason);
    } finally {
      writeFileSync(edited, text);
    }
  });
}

// Corefile.hosts, started: it has no `kubernetes`, so it runs without --snapshot and serves its
// hosts, file, template and rewrite plugins alone, as CoreDNS would (docs/corefile.md).
type Row = [question: string, rcode: string, answers: string[], authority?: string[]];
const SOA_NET = 'ip.example.net. 60 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 60 60';
const SOA_ORG =
  'example.org. 60 IN SOA ns1.example.org. hostmaster.example.org. 2026120501 7200 1800 86400 60';
const rows: Row[] = [
  // hosts before file: NodeHosts wins over the zone's node-1.
  ['node-1.example.org A', 'NOERROR', ['node-1.example.org. 60 IN A 192.0.2.21']],
  ['node-2.example.org AAAA', 'NOERROR', ['node-2.example.org. 60 IN AAAA 2001:db8::22']],
  ['21.2.0.192.in-addr.arpa PTR', 'REFUSED', []],
  // rewrite ... answer auto: the name asked comes back.
  ['node-1.example.internal A', 'NOERROR', ['node-1.example.internal. 60 IN A 192.0.2.21']],
  [
    'www.example.org A',
    'NOERROR',
    ['www.example.org. 300 IN A 192.0.2.10', 'www.example.org. 300 IN A 192.0.2.11'],
  ],
  [
    'alias.example.org A',
    'NOERROR',
    [
      'alias.example.org. 300 IN CNAME www.example.org.',
      'www.example.org. 300 IN A 192.0.2.10',
      'www.example.org. 300 IN A 192.0.2.11',
    ],
  ],
  ['nope.example.org A', 'NXDOMAIN', [], [SOA_ORG]],
  ['ip-10-1-2-3.ip.example.net A', 'NOERROR', ['ip-10-1-2-3.ip.example.net. 60 IN A 10.1.2.3']],
  ['other.ip.example.net A', 'NXDOMAIN', [], [SOA_NET]],
];

test('Corefile.hosts answers from NodeHosts, the zone file and the templates', GUARD, async () => {
  const c = await startContainer(['--corefile', join(EXAMPLES, 'Corefile.hosts')], { env });
  try {
    for (const [question, rcode, answers, authority] of rows) {
      const [name, type] = question.split(' ') as [string, 'A'];
      const reply = await queryUdp(c.udp, makeQuery(name, type));
      const got = reply.answers?.map(toPresentation).sort() ?? [];
      assert.deepEqual([rcodeOf(reply), got], [rcode, [...answers].sort()], question);
      if (authority) assert.deepEqual(reply.authorities?.map(toPresentation), authority, question);
    }
  } finally {
    await c.stop();
  }
});
