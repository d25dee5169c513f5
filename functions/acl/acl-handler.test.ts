// Cases from CoreDNS's own acl tests (plugin/acl/acl_test.go), one row each: the Corefile block,
// who asks what, and what CoreDNS answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { memoryCorefileIo } from '../corefile/memory-io.ts';
import { parseCorefile } from '../corefile/parse-corefile.ts';
import { aclFromDirective } from './acl-corefile.ts';
import { aclHandler, emptyAclCounts } from './acl-handler.ts';
import { edeOf } from '../../test/support/dns-client.ts';

type Row = [config: string, source: string, question: string, want: string];

const rows: Row[] = [
  ['block type A net 192.168.0.0/16', '192.168.0.2', 'www.example.org. A', 'REFUSED ede=15'],
  ['block type A net 192.168.0.0/16', '192.167.0.2', 'www.example.org. A', 'answered'],
  ['block type * net 192.168.0.0/16', '192.168.0.2', 'www.example.org. AAAA', 'REFUSED ede=15'],
  ['block type A', '10.1.0.2', 'www.example.org. A', 'REFUSED ede=15'],
  ['block type A', '10.1.0.2', 'www.example.org. AAAA', 'answered'],
  ['block type A net 192.168.1.2', '192.168.1.2', 'www.example.org. A', 'REFUSED ede=15'],
  ['block type A net 192.168.1.2', '192.168.1.3', 'www.example.org. A', 'answered'],
  ['filter type A net 192.168.0.0/16', '192.168.0.2', 'www.example.org. A', 'NOERROR ede=17'],
  ['filter type A net 192.168.0.0/16', '192.167.0.2', 'www.example.org. A', 'answered'],
  ['allow net 192.168.0.0/16\nblock', '192.168.0.2', 'www.example.org. A', 'answered'],
  ['allow type * net 192.168.0.0/16\nblock', '10.1.0.2', 'www.example.org. A', 'REFUSED ede=15'],
  ['drop net 192.168.0.0/16', '192.168.0.2', 'www.example.org. A', 'no reply'],
  [
    'block net 192.168.1.0/24\ndrop net 192.168.0.0/16',
    '192.168.1.2',
    'www.example.org. A',
    'REFUSED ede=15',
  ],
  [
    'drop net 192.168.0.0/16\nblock net 192.168.1.0/24',
    '192.168.1.1',
    'www.example.org. A',
    'no reply',
  ],
  ['drop type A\nallow net 192.168.0.0/16', '192.168.1.1', 'www.example.org. A', 'no reply'],
  ['block net 2001:db8::/32', '2001:db8:abcd::1', 'www.example.org. AAAA', 'REFUSED ede=15'],
  ['block net 2001:db8::/32', '2001:db9::1', 'www.example.org. AAAA', 'answered'],
  ['block', '::ffff:10.0.0.1', 'www.example.org. A', 'REFUSED ede=15'],
  // Outside the acl's zones the rules do not apply.
  ['block', '192.168.0.2', 'www.example.com. A', 'answered'],
];

/** The acl directive `acl example.org { LINES }` in a `.` block, as the container reads it. */
function rule(lines: string) {
  const text = `. {\n  acl example.org {\n${lines}\n  }\n}\n`;
  const io = { ...memoryCorefileIo({}), env: {}, supported: new Set(['acl']) };
  return aclFromDirective(parseCorefile(text, 'Corefile', io).servers[0]!.directives[0]!, ['']);
}

/** What the client sees: the rcode and EDE, "answered" (the resolver's turn), or "no reply". */
function outcome(reply: Buffer | null | Promise<Buffer | null>): string {
  if (reply === null) return 'no reply';
  const p = dnsPacket.decode(reply as Buffer) as dnsPacket.DecodedPacket & { rcode: string };
  if (p.id === 0xbeef) return 'answered';
  return `${p.rcode} ede=${edeOf(p)}`;
}

for (const [config, source, question, want] of rows)
  test(`acl { ${config.replace('\n', '; ')} }: ${question} from ${source} -> ${want}`, () => {
    const [name, type] = question.split(' ') as [string, string];
    const query = dnsPacket.encode({
      type: 'query',
      id: 7,
      questions: [{ name, type: type as 'A', class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232 }],
    } as dnsPacket.Packet);
    const answered = dnsPacket.encode({ type: 'response', id: 0xbeef });
    const counts = emptyAclCounts();
    const handle = aclHandler(() => answered, [{ zones: [''], rules: [rule(config)] }], counts);
    const got = outcome(handle(query, 'udp', { address: source, port: 5300, family: 'IPv4' }));
    assert.equal(got, want);
  });

test('counts by action and zone; the longest block decides which rules apply', () => {
  const counts = emptyAclCounts();
  const blocks = [
    { zones: [''], rules: [rule('block')] },
    { zones: ['open.example.org'], rules: [] },
  ];
  const handle = aclHandler(() => Buffer.alloc(12), blocks, counts);
  const ask = (name: string) =>
    handle(dnsPacket.encode({ type: 'query', id: 1, questions: [{ name, type: 'A' }] }), 'tcp', {
      address: '10.0.0.1',
      port: 1,
      family: 'IPv4',
    });
  assert.equal(outcome(ask('www.example.org')), 'REFUSED ede=undefined', 'no OPT, no EDE');
  ask('x.open.example.org'); // its block has no acl: not counted
  assert.deepEqual(Object.fromEntries(counts.block), { 'example.org': 1 });
  assert.equal(counts.allow.size, 0);
});

test('bad acl lines name the line and what was expected', () => {
  const cases: [string, RegExp][] = [
    ['permit net 10.0.0.0/8', /Corefile:3 .*expect 'allow', 'block', 'filter' or 'drop'/],
    ['block type', /Corefile:3 .*no token specified in "type" section/],
    ['block type NOTATYPE', /Corefile:3 .*expect legal QTYPE/],
    ['block net 10.0.0.0/40', /Corefile:3 .*illegal CIDR notation "10.0.0.0\/40"/],
    ['block from 10.0.0.1', /Corefile:3 .*expect 'type' or 'net'/],
  ];
  for (const [lines, want] of cases) assert.throws(() => rule(lines), want, lines);
  assert.throws(() => {
    const io = { ...memoryCorefileIo({}), env: {}, supported: new Set(['acl']) };
    const d = parseCorefile('. {\n  acl\n}\n', 'Corefile', io).servers[0]!.directives[0]!;
    aclFromDirective(d, ['']);
  }, /Corefile:2 .*no policy/);
});
