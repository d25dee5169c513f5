import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presentation } from '../../test/support/node-presentation.ts';
import { RecordSets } from './record-sets.ts';

test('one RRset per owner and type, duplicates removed, rdata sorted (RFC 2181 §5)', () => {
  const out = new RecordSets();
  out.add('b.example', 'A', 5, '10.0.0.10');
  out.add('b.example', 'A', 5, '10.0.0.9');
  out.add('b.example', 'A', 5, '10.0.0.10');
  out.add('b.example', 'AAAA', 5, 'fd00::10');
  out.add('b.example', 'AAAA', 5, 'fd00::9');
  out.add('b.example', 'SRV', 5, { priority: 0, weight: 50, port: 443, target: 'b.example' });
  out.add('b.example', 'SRV', 5, { priority: 0, weight: 50, port: 80, target: 'b.example' });
  out.add('b.example', 'SRV', 5, { priority: 0, weight: 50, port: 80, target: 'b.example' });
  out.add('a.example', 'TXT', 28800, ['1.1.0']);
  out.add('a.example', 'TXT', 28800, ['1.1.0']);
  out.add('c.example', 'PTR', 7, 'y.example');
  out.add('c.example', 'PTR', 5, 'x.example');
  out.touch('d.example');
  out.synth('e.example', 'dashed-ip');
  assert.deepEqual(presentation(out.finish().values()), [
    'a.example. 28800 IN TXT "1.1.0"',
    'b.example. 5 IN A 10.0.0.9',
    'b.example. 5 IN A 10.0.0.10',
    'b.example. 5 IN AAAA fd00::9',
    'b.example. 5 IN AAAA fd00::10',
    'b.example. 5 IN SRV 0 50 80 b.example.',
    'b.example. 5 IN SRV 0 50 443 b.example.',
    'c.example. 5 IN PTR x.example.', // one TTL per RRset: the smallest
    'c.example. 5 IN PTR y.example.',
    'd.example. ; empty non-terminal',
    'e.example. ; synth dashed-ip',
  ]);
});

test('names the accumulator does not accept are dropped', () => {
  const out = new RecordSets((name) => name.endsWith('.keep'));
  out.add('a.keep', 'A', 5, '10.0.0.1');
  out.add('a.drop', 'A', 5, '10.0.0.1');
  out.touch('b.drop');
  out.synth('c.drop', 'dashed-ip');
  assert.deepEqual([...out.finish().keys()], ['a.keep']);
});
