import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWeights } from './weights-file.ts';

test('weight files as CoreDNS reads them', () => {
  const text = [
    '# Comment lines are ignored',
    '',
    'www.example.com',
    '100.64.1.1 3',
    '  100.64.1.2   1  ',
    '100.64.1.3 2',
    '',
    'WWW.Example.ORG.',
    '::ffff:10.0.0.1 255',
    '2001:DB8::1 7',
    '2001:db8::1 9', // the first weight for an address holds
    'empty.example.com',
  ].join('\n');
  const weights = parseWeights(text, 'w.txt');
  assert.deepEqual(
    [...weights].map(([name, w]) => [name, [...w]]),
    [
      [
        'www.example.com',
        [
          ['100.64.1.1', 3],
          ['100.64.1.2', 1],
          ['100.64.1.3', 2],
        ],
      ],
      [
        'www.example.org',
        [
          ['10.0.0.1', 255],
          ['2001:db8::1', 7],
        ],
      ],
      ['empty.example.com', []],
    ],
  );
  assert.equal(parseWeights('\r\n# none\r\n', 'w.txt').size, 0);
});

test('bad weight files: the file, the line, what was expected', () => {
  const cases: [string, string][] = [
    [
      'www.example.com\n100.64.1.1',
      "w.txt:2: expected a domain name, got the address '100.64.1.1' (a missing weight?)",
    ],
    ['www.example.com\nnot-an-ip 3', "w.txt:2: expected an IP address, got 'not-an-ip'"],
    ['www.example.com\n100.64.1.1 0', "w.txt:2: expected a weight from 1 to 255, got '0'"],
    ['www.example.com\n100.64.1.1 256', "w.txt:2: expected a weight from 1 to 255, got '256'"],
    ['www.example.com\n100.64.1.1 -1', "w.txt:2: expected a weight from 1 to 255, got '-1'"],
    ['www.example.com\n100.64.1.1 x', "w.txt:2: expected a weight from 1 to 255, got 'x'"],
    ['# first\n100.64.1.1 3', 'w.txt:2: expected a domain name before the first address'],
    [
      'www.example.com\n100.64.1.1 3 4',
      "w.txt:2: expected a domain name or 'ADDRESS WEIGHT', got '100.64.1.1 3 4'",
    ],
  ];
  for (const [text, message] of cases)
    assert.throws(() => parseWeights(text, 'w.txt'), { name: 'WeightFileError', message }, text);
});
