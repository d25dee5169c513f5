// The `any` plugin as CoreDNS's plugin/any answers (its README and any_test.go): an ANY question
// gets one HINFO `"ANY obsoleted" "See RFC 8482"`, TTL 8482, whatever the name; other types go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import type { PluginQuery } from '../core/plugin.ts';
import { emptySections } from '../core/sections.ts';
import { anyFromDirective } from './any-corefile.ts';

const NEXT = 'next answered';
const query = (name: string, type: string): PluginQuery => ({
  name,
  type,
  class: 'IN',
  flags: { cd: false, do: false },
  transport: 'udp',
  zone: '',
});
/** A record as presentation text (HINFO only: what this plugin writes). */
const text = (rr: Answer) =>
  rr.type === 'HINFO'
    ? `${rr.name}. ${rr.ttl} IN HINFO "${rr.data.cpu}" "${rr.data.os}"`
    : `${rr.name}. ${rr.type}`;

const rows: [question: string, rcode: string, answers: string[] | typeof NEXT][] = [
  ['example.org ANY', 'NOERROR', ['example.org. 8482 IN HINFO "ANY obsoleted" "See RFC 8482"']],
  [
    'Www.Example.ORG ANY',
    'NOERROR',
    ['Www.Example.ORG. 8482 IN HINFO "ANY obsoleted" "See RFC 8482"'],
  ],
  [
    'nothing.here.invalid ANY',
    'NOERROR',
    ['nothing.here.invalid. 8482 IN HINFO "ANY obsoleted" "See RFC 8482"'],
  ],
  ['example.org A', 'NOERROR', NEXT],
  ['example.org HINFO', 'NOERROR', NEXT],
];

const plugin = anyFromDirective({ name: 'any', args: [], file: 'Corefile', line: 2 });
for (const [question, rcode, answers] of rows) {
  test(`any: ${question}`, async () => {
    const [name, type] = question.split(' ') as [string, string];
    let asked = false;
    const got = await plugin(query(name, type), async () => {
      asked = true;
      return emptySections('NOERROR');
    });
    assert.equal(got.rcode, rcode);
    if (answers === NEXT) assert.equal(asked, true, 'the chain goes on');
    else {
      assert.equal(asked, false, 'the chain stops here');
      assert.deepEqual(got.answers.map(text), answers);
      assert.equal(got.aa, false);
    }
  });
}

test('any takes no arguments and no block, naming the line', () => {
  const d = { name: 'any', file: 'Corefile', line: 4 };
  assert.throws(
    () => anyFromDirective({ ...d, args: ['all'] }),
    /Corefile:4 - .*any: unexpected argument: all/,
  );
  assert.throws(
    () =>
      anyFromDirective({
        ...d,
        args: [],
        block: [{ name: 'x', args: [], file: 'Corefile', line: 5 }],
      }),
    /Corefile:4 - .*takes no block/,
  );
});
