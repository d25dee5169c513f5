import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as dnsPacket from 'dns-packet';
import { jsonQuery, encodeName } from './json-query.ts';
import { typeNumber } from './record-types.ts';

const decoded = (params: Parameters<typeof jsonQuery>[0]) => {
  const out = jsonQuery(params);
  assert.ok('query' in out, JSON.stringify(out));
  return dnsPacket.decode(Buffer.from(out.query));
};

test('name and type become one question, ID 0 and RD set; the name keeps its case', () => {
  const q = decoded({ name: 'Web.Shop.svc.cluster.local.', type: 'aaaa' });
  assert.equal(q.id, 0);
  assert.equal(q.flag_rd, true);
  assert.equal(q.flag_cd, false);
  assert.deepEqual(q.questions, [
    { name: 'Web.Shop.svc.cluster.local', type: 'AAAA', class: 'IN' },
  ]);
  assert.deepEqual(q.additionals, []);
  assert.deepEqual(
    decoded({ name: 'a.b' }).questions,
    [{ name: 'a.b', type: 'A', class: 'IN' }],
    'type defaults to A',
  );
  assert.equal(decoded({ name: 'a.b', type: '33' }).questions?.[0]?.type, 'SRV');
  assert.equal(decoded({ name: 'a.b', type: 'TYPE65' }).questions?.[0]?.type, 'UNKNOWN_65');
  assert.equal(decoded({ name: '.', type: 'NS' }).questions?.[0]?.name, '.');
  assert.equal(decoded({ name: 'a.b', cd: 'true' }).flag_cd, true);
  assert.equal(decoded({ name: 'a.b', cd: '0' }).flag_cd, false);
  const withDo = decoded({ name: 'a.b', do: '1' });
  const opt = withDo.additionals?.[0] as
    { type: string; flag_do?: boolean; udpPayloadSize?: number } | undefined;
  assert.equal(opt?.type, 'OPT');
  assert.equal(opt?.flag_do, true, 'DO bit (RFC 3225 §3)');
  assert.equal(opt?.udpPayloadSize, 1232);
});

test('bad names and types are reasons, not queries', () => {
  const bad: [Parameters<typeof jsonQuery>[0], RegExp][] = [
    [{}, /missing name/],
    [{ name: '' }, /missing name/],
    [{ name: 'a..b' }, /empty label/],
    [{ name: '.a' }, /empty label/],
    [{ name: `${'x'.repeat(64)}.b` }, /63/],
    [{ name: Array(64).fill('abc').join('.') }, /255/],
    [{ name: 'a b.c' }, /printable/],
    [{ name: 'bücher.de' }, /printable/],
    [{ name: 'a\\.b' }, /printable/],
    [{ name: 'a.b', type: 'NOPE' }, /bad type/],
    [{ name: 'a.b', type: '0' }, /bad type/],
    [{ name: 'a.b', type: '65536' }, /bad type/],
    [{ name: 'a.b', type: '-1' }, /bad type/],
    [{ name: 'a.b', type: 'constructor' }, /bad type/],
  ];
  for (const [params, reason] of bad) {
    const out = jsonQuery(params);
    assert.ok(
      'error' in out && reason.test(out.error),
      `${JSON.stringify(params)}: ${JSON.stringify(out)}`,
    );
  }
  // 255 bytes in wire form is the limit (RFC 1035 §3.1): 4 labels of 63 plus the root is 257.
  const longest = [63, 63, 63, 61].map((n) => 'a'.repeat(n)).join('.');
  assert.equal((encodeName(longest) as Uint8Array).length, 255);
  assert.equal(typeof encodeName(`${longest}a`), 'string');
});

test('type mnemonics agree with dns-packet for every type it names', () => {
  const types = createRequire(import.meta.url)('dns-packet/types.js') as {
    toString(n: number): string;
  };
  for (let n = 1; n <= 65535; n++) {
    const name = types.toString(n);
    assert.equal(typeNumber(name), n, name);
    assert.equal(typeNumber(name.toLowerCase()), n, name);
  }
  assert.equal(typeNumber('HTTPS'), 65);
  assert.equal(typeNumber('type1'), 1);
});
