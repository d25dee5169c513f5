import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Directive } from '../corefile/corefile.ts';
import { hostsFromDirective } from './hosts-corefile.ts';

/** A directive from its first line and its block lines, numbered from line 1 of `Corefile`. */
function directive(head: string, block?: string[]): Directive {
  const [name = '', ...args] = head.trim().split(/\s+/);
  const sub = block?.map((line, i): Directive => {
    const [n = '', ...a] = line.trim().split(/\s+/);
    return { name: n, args: a, file: 'Corefile', line: i + 2 };
  });
  return { name, args, ...(sub && { block: sub }), file: 'Corefile', line: 1 };
}

const block = ['example.org'];

test('setup_test.go TestHostsParse: file, zones (CIDRs as reverse zones), fallthrough', () => {
  const cases: [string, string[] | undefined, string, string[], string[] | undefined][] = [
    ['hosts', undefined, '/etc/hosts', block, undefined],
    ['hosts /tmp', undefined, '/tmp', block, undefined],
    ['hosts /etc/hosts miek.nl.', undefined, '/etc/hosts', ['miek.nl'], undefined],
    [
      'hosts /etc/hosts miek.nl. pun.gent.',
      undefined,
      '/etc/hosts',
      ['miek.nl', 'pun.gent'],
      undefined,
    ],
    ['hosts', ['fallthrough'], '/etc/hosts', block, []],
    ['hosts /tmp', ['fallthrough'], '/tmp', block, []],
    ['hosts /etc/hosts miek.nl.', ['fallthrough'], '/etc/hosts', ['miek.nl'], []],
    [
      'hosts /etc/hosts miek.nl 10.0.0.9/8',
      ['fallthrough'],
      '/etc/hosts',
      ['miek.nl', '10.in-addr.arpa'],
      [],
    ],
    [
      'hosts',
      ['fallthrough in-addr.arpa 10.0.0.0/12'],
      '/etc/hosts',
      block,
      ['in-addr.arpa', ...Array.from({ length: 16 }, (_, i) => `${i}.10.in-addr.arpa`)],
    ],
    [
      'hosts /etc/hosts . fd00::/7',
      undefined,
      '/etc/hosts',
      ['', 'c.f.ip6.arpa', 'd.f.ip6.arpa'],
      undefined,
    ],
  ];
  for (const [head, sub, file, zones, fallthrough] of cases) {
    const o = hostsFromDirective(directive(head, sub), block);
    assert.deepEqual([o.file, o.zones, o.fallthrough], [file, zones, fallthrough], head);
  }
});

test('setup_test.go TestHostsInlineParse, and the defaults and options', () => {
  const o = hostsFromDirective(
    directive('hosts highly_unlikely_to_exist_hosts_file example.org', [
      '10.0.0.1 example.org',
      'fe80::1%lo0 a.example.org b.example.org',
      'ttl 60',
      'no_reverse',
      'reload 1m30s',
      'fallthrough',
      'fallthrough_unsupported',
    ]),
    ['.'],
  );
  assert.deepEqual(o, {
    file: 'highly_unlikely_to_exist_hosts_file',
    zones: ['example.org'],
    inline: ['10.0.0.1 example.org', 'fe80::1%lo0 a.example.org b.example.org'],
    ttl: 60,
    reverse: false,
    reloadMs: 90_000,
    fallthrough: [],
    fallthroughUnsupported: true,
  });
  const defaults = hostsFromDirective(directive('hosts'), ['']);
  assert.deepEqual(
    [defaults.ttl, defaults.reverse, defaults.reloadMs, defaults.fallthroughUnsupported],
    [3600, true, 5000, false],
  );
  assert.equal(hostsFromDirective(directive('hosts', ['reload 0']), ['']).reloadMs, 0);
});

test('errors name the line and what was expected', () => {
  const cases: [string, string[] | undefined, string][] = [
    [
      'hosts',
      ['fallthrough', '10.0.0.1 example.org'],
      'Corefile:3 - Error during parsing: 10.0.0.1: inline entries must come before fallthrough',
    ],
    ['hosts', ['bogus 1'], 'Corefile:2 - Error during parsing: bogus: unknown property "bogus"'],
    [
      'hosts',
      ['10.0.0.1'],
      'Corefile:2 - Error during parsing: 10.0.0.1: expected an address then at least one name',
    ],
    [
      'hosts',
      ['10.0.0.1 a..b'],
      'Corefile:2 - Error during parsing: 10.0.0.1: "a..b" is not a host name',
    ],
    ['hosts', ['ttl'], 'Corefile:2 - Error during parsing: ttl: expected ttl SECONDS'],
    [
      'hosts',
      ['ttl 0'],
      'Corefile:2 - Error during parsing: ttl: expected a TTL of 1..65535 seconds, got "0"',
    ],
    [
      'hosts',
      ['ttl 65536'],
      'Corefile:2 - Error during parsing: ttl: expected a TTL of 1..65535 seconds, got "65536"',
    ],
    [
      'hosts',
      ['ttl 1h'],
      'Corefile:2 - Error during parsing: ttl: expected a TTL of 1..65535 seconds, got "1h"',
    ],
    [
      'hosts',
      ['reload'],
      'Corefile:2 - Error during parsing: reload: expected reload DURATION (zero seconds to disable)',
    ],
    [
      'hosts',
      ['reload -5s'],
      'Corefile:2 - Error during parsing: reload: invalid negative duration "-5s"',
    ],
    [
      'hosts',
      ['no_reverse yes'],
      'Corefile:2 - Error during parsing: no_reverse: expected no arguments',
    ],
    [
      'hosts',
      ['fallthrough_unsupported'],
      'Corefile:1 - Error during parsing: hosts: fallthrough_unsupported requires fallthrough',
    ],
    [
      'hosts',
      ['fallthrough', 'fallthrough_unsupported example.org'],
      'Corefile:3 - Error during parsing: fallthrough_unsupported: expected no arguments',
    ],
    [
      'hosts /etc/hosts not_a_zone!',
      undefined,
      'Corefile:1 - Error during parsing: hosts: "not_a_zone!" is not a zone name',
    ],
    [
      'hosts /etc/hosts 10.0.0.0/33',
      undefined,
      'Corefile:1 - Error during parsing: hosts: "10.0.0.0/33" is not a CIDR such as 10.0.0.0/8 or fd00::/8',
    ],
  ];
  for (const [head, sub, message] of cases)
    assert.throws(() => hostsFromDirective(directive(head, sub), block), { message }, message);
  assert.match(
    (() => {
      try {
        hostsFromDirective(directive('hosts', ['reload soon']), block);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })(),
    /^Corefile:2 - Error during parsing: reload: expected a duration/,
  );
});
